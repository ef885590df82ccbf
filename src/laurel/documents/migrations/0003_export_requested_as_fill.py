"""Jobs queued before ``requested_as`` was kept: their requester's unit and roles as they are at
the upgrade, so that a finished ZIP stays downloadable by whoever asked for it."""

from django.db import migrations


def fill(apps, schema_editor):
    ExportJob = apps.get_model("documents", "ExportJob")
    UserRole = apps.get_model("accounts", "UserRole")
    for job in ExportJob.objects.filter(requested_as="").select_related("requested_by"):
        codes = sorted(
            UserRole.objects.filter(user_id=job.requested_by_id).values_list("role", flat=True)
        )
        job.requested_as = f"{job.requested_by.unit_id or ''}:{','.join(codes)}"
        job.save(update_fields=["requested_as"])


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_export_requested_as"),
        ("accounts", "0006_user_directory_login"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
