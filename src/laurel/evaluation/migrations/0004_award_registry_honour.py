import django.db.models.deletion
from django.db import migrations, models


def copy_links(apps, schema_editor):
    """The link between an award and the honour it became moves from the registry's table to
    the award (the registry no longer knows campaigns)."""
    Honour = apps.get_model("registry", "Honour")
    Award = apps.get_model("evaluation", "Award")
    for honour_id, award_id in Honour.objects.filter(source_award__isnull=False).values_list(
        "pk", "source_award_id"
    ):
        Award.objects.filter(pk=award_id).update(registry_honour_id=honour_id)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0003_approval_award"),
        ("registry", "0005_honour_origin"),
    ]

    operations = [
        migrations.AddField(
            model_name="award",
            name="registry_honour",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="registry.honour",
                verbose_name="登记的荣誉",
            ),
        ),
        migrations.RunPython(copy_links, migrations.RunPython.noop),
    ]
