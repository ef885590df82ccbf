"""Production settings: ``DJANGO_SETTINGS_MODULE=laurel.settings_production``.

Everything secret or site-specific comes from the environment, and is required: the process
refuses to start with a development key, without the field-encryption keys, or on SQLite."""

import os

from django.core.exceptions import ImproperlyConfigured

from laurel.settings import *  # noqa: F403
from laurel.settings import DATABASES, env_bool

REQUIRED = (
    "LAUREL_SECRET_KEY",
    "LAUREL_FIELD_KEYS",
    "LAUREL_LOOKUP_KEY",
    "LAUREL_ALLOWED_HOSTS",
    "DATABASE_URL",
)
missing = [name for name in REQUIRED if not os.environ.get(name)]
if missing:
    raise ImproperlyConfigured(
        "Production needs these environment variables: " + ", ".join(missing)
    )
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Production runs on PostgreSQL (DATABASE_URL=postgres://…).")

DEBUG = False
# Behind nginx with TLS; `make serve-prod` on one machine over plain HTTP sets
# LAUREL_SECURE_COOKIES=false.
SESSION_COOKIE_SECURE = env_bool("LAUREL_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [
    origin for origin in os.environ.get("LAUREL_CSRF_TRUSTED_ORIGINS", "").split(",") if origin
]
# Background work (exports, reminders) goes to the database queue, run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("LAUREL_CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
