from django.db import migrations, models


def mark_awards(apps, schema_editor):
    Honour = apps.get_model("registry", "Honour")
    Honour.objects.filter(source_award__isnull=False).update(origin="award")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0004_honour_unique"),
    ]

    operations = [
        migrations.AddField(
            model_name="honour",
            name="origin",
            field=models.CharField(
                choices=[
                    ("registration", "统计登记"),
                    ("import", "批量导入"),
                    ("award", "本系统评选表彰"),
                ],
                db_default="registration",
                default="registration",
                max_length=20,
                verbose_name="来源",
            ),
        ),
        migrations.RunPython(mark_awards, migrations.RunPython.noop),
    ]
