from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_honour_origin"),
        ("evaluation", "0004_award_registry_honour"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="honour",
            name="source_award",
        ),
    ]
