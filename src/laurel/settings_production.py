"""Production settings: ``DJANGO_SETTINGS_MODULE=laurel.settings_production``.

Everything secret or site-specific comes from the environment, and is required: the process
refuses to start with a development key, without the field-encryption keys, or on SQLite."""

import os

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from laurel.settings import *  # noqa: F403
from laurel.settings import (
    DATABASES,
    DEVELOPMENT_SECRET_KEY,
    LAUREL_FIELD_KEYS,
    LAUREL_LOOKUP_KEY,
    SECRET_KEY,
    _derived_key,
    env_bool,
    env_int,
)

REQUIRED = (
    "LAUREL_SECRET_KEY",
    "LAUREL_FIELD_KEYS",
    "LAUREL_LOOKUP_KEY",
    "LAUREL_ALLOWED_HOSTS",
    "LAUREL_CACHE_URL",
    "LAUREL_PUBLIC_URL",  # printed with a QR code on every certificate
    "DATABASE_URL",
)
missing = [name for name in REQUIRED if not os.environ.get(name)]
if missing:
    raise ImproperlyConfigured(
        "Production needs these environment variables: " + ", ".join(missing)
    )
# The development secret is published with the code, and so is every key derived from it: a
# database file made with them decrypts anywhere. A key derived from the production secret is
# refused too — the field keys must be independent of SECRET_KEY (rotated on their own).
if SECRET_KEY == DEVELOPMENT_SECRET_KEY or "insecure" in SECRET_KEY or len(SECRET_KEY) < 40:
    raise ImproperlyConfigured(
        "LAUREL_SECRET_KEY is the development key or too short (at least 40 random characters)."
    )
_derived = {
    _derived_key(label, secret)
    for label in ("laurel-field", "laurel-lookup")
    for secret in (DEVELOPMENT_SECRET_KEY, SECRET_KEY)
}
if _derived & {*LAUREL_FIELD_KEYS, LAUREL_LOOKUP_KEY}:
    raise ImproperlyConfigured(
        "LAUREL_FIELD_KEYS / LAUREL_LOOKUP_KEY are derived from a secret key; generate them "
        "independently (see docs/security.md, key rotation)."
    )
if LAUREL_LOOKUP_KEY in LAUREL_FIELD_KEYS:
    raise ImproperlyConfigured("LAUREL_LOOKUP_KEY must differ from every LAUREL_FIELD_KEYS key.")
for _key in LAUREL_FIELD_KEYS:
    try:
        Fernet(_key)  # the key format: 32 random bytes, base64url (Fernet.generate_key())
    except (ValueError, TypeError):
        raise ImproperlyConfigured(
            "Each LAUREL_FIELD_KEYS key must be 32 random bytes in base64url, as "
            "`Fernet.generate_key()` makes (docs/security.md)."
        ) from None
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Production runs on PostgreSQL (DATABASE_URL=postgres://…).")

DEBUG = False
LAUREL_PRODUCTION = True
# Behind nginx with TLS; `make serve-prod` on one machine over plain HTTP sets
# LAUREL_SECURE_COOKIES=false.
SESSION_COOKIE_SECURE = env_bool("LAUREL_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HSTS over TLS (off with LAUREL_SECURE_COOKIES=false: plain HTTP on one machine).
SECURE_HSTS_SECONDS = env_int("LAUREL_HSTS_SECONDS", 31536000) if SESSION_COOKIE_SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
CSRF_TRUSTED_ORIGINS = [
    origin for origin in os.environ.get("LAUREL_CSRF_TRUSTED_ORIGINS", "").split(",") if origin
]
# Background work (exports, reminders) goes to the database queue, run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("LAUREL_CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
