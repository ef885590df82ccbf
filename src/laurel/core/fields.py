"""Model fields for personal data at rest (H-6): the value is encrypted in the database with
``core.crypto`` (AES-GCM under ``LAUREL_FIELD_KEYS``) and plain in Python — forms, templates and
documents read it as usual, while a copy of the database shows only ciphertext.

An encrypted column cannot be searched: a model that looks values up keeps a keyed hash beside
it (``crypto.lookup_hash``; see ``Nominee.id_hash``)."""

from __future__ import annotations

import logging

from django import forms
from django.db import models

from laurel.core import crypto
from laurel.core.validators import normalize_resident_id

UNREADABLE = "（无法解密）"
logger = logging.getLogger(__name__)


class EncryptedTextField(models.TextField):
    """Plain text in Python, ciphertext in the database (``core.crypto``). ``max_length``
    limits the plain value (forms and validation), not the column. Only ``isnull``/empty
    lookups make sense."""

    def from_db_value(self, value, expression, connection):
        if not value:
            return ""
        if not crypto.is_token(value):
            return value  # written before the field was encrypted; the migration encrypts it
        try:
            return crypto.decrypt(value)
        except crypto.DecryptionFailed:
            # A key missing from LAUREL_FIELD_KEYS: say so on the page, never a server error.
            logger.error("%s: a value no listed field key decrypts", self.model._meta.label)
            return UNREADABLE

    def get_prep_value(self, value):
        """Always encrypted: a value is never trusted to be a token because of how it looks
        (a citizen can type "lg1.…" or "gAAAAA…" as a contact)."""
        value = super().get_prep_value(value)
        if not value:
            return ""
        return crypto.encrypt(value)

    def formfield(self, **kwargs):
        """A single-line input of ``max_length`` characters, like the CharField it replaces."""
        options = {"form_class": forms.CharField, "max_length": self.max_length, **kwargs}
        return models.Field.formfield(self, **options)


def encrypt_existing(app_label: str, model_name: str, fields: list[str], hashes=None):
    """A migration step: encrypt the values written before these fields were encrypted (and fill
    ``hashes``: {hash field: plain ID field} with their keyed hashes, the ID number stored in
    its normal form). Rows already encrypted are written back unchanged."""

    def step(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        for row in model.objects.all().only("pk", *fields).iterator(chunk_size=500):
            values = {name: getattr(row, name) for name in fields}
            for hashed, plain in (hashes or {}).items():
                values[plain] = normalize_resident_id(values[plain])
                values[hashed] = crypto.lookup_hash(values[plain]) if values[plain] else ""
            model.objects.filter(pk=row.pk).update(**values)

    return step


def decrypt_existing(app_label: str, model_name: str, fields: list[str]):
    """The reverse of :func:`encrypt_existing`: write the plain values back with SQL while the
    columns are still text, before a reversed migration narrows them (PostgreSQL would cut a
    token to the old ``varchar`` length, and every value would be lost)."""

    def step(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        table = schema_editor.quote_name(model._meta.db_table)
        columns = [model._meta.get_field(name).column for name in fields]
        quoted = [schema_editor.quote_name(c) for c in columns]
        pk = schema_editor.quote_name(model._meta.pk.column)
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"SELECT {pk}, {', '.join(quoted)} FROM {table}")
            rows = cursor.fetchall()
            for key, *values in rows:
                plain = [
                    crypto.decrypt(v) if v and crypto.is_token(v) else (v or "") for v in values
                ]
                if plain != [v or "" for v in values]:
                    assignments = ", ".join(f"{c} = %s" for c in quoted)
                    cursor.execute(
                        f"UPDATE {table} SET {assignments} WHERE {pk} = %s",
                        [*plain, key],
                    )

    return step
