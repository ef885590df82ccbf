"""API tokens move from rest_framework.authtoken (the key itself in the table) to
django-rest-knox (its SHA-512 digest only). A token issued before keeps working until it
expires; its plain row is deleted, so the database and its backups hold no working key."""

import datetime
import hashlib

from django.conf import settings
from django.db import migrations


def digest_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if "authtoken_token" not in connection.introspection.table_names():
        return
    AuthToken = apps.get_model("knox", "AuthToken")
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, user_id, created FROM authtoken_token")
        rows = cursor.fetchall()
        for key, user_id, created in rows:
            if isinstance(created, str):  # a driver without the datetime converter
                created = datetime.datetime.fromisoformat(created)
            if created.tzinfo is None:  # stored in UTC (USE_TZ)
                created = created.replace(tzinfo=datetime.timezone.utc)
            token = AuthToken.objects.create(
                digest=hashlib.sha512(key.encode()).hexdigest(),
                token_key=key[:15],
                user_id=user_id,
                expiry=created + datetime.timedelta(days=settings.LAUREL_API_TOKEN_DAYS),
            )
            AuthToken.objects.filter(pk=token.pk).update(created=created)
        cursor.execute("DELETE FROM authtoken_token")


class Migration(migrations.Migration):
    dependencies = [
        ("knox", "0009_extend_authtoken_field"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(digest_tokens, migrations.RunPython.noop)]
