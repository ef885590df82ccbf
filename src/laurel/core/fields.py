"""Model fields for personal data at rest (H-6): the value is encrypted in the database with
``core.crypto`` (Fernet under ``LAUREL_FIELD_KEYS``) and plain in Python — forms, templates and
documents read it as usual, while a copy of the database shows only ciphertext.

An encrypted column cannot be searched: a model that looks values up keeps a keyed hash beside
it (``crypto.lookup_hash``; see ``Nominee.id_hash``)."""

from __future__ import annotations

from django import forms
from django.db import models

from laurel.core import crypto
from laurel.core.validators import normalize_resident_id

FERNET_PREFIX = "gAAAAA"  # every Fernet token starts so (version byte and timestamp)


class EncryptedTextField(models.TextField):
    """Plain text in Python, Fernet ciphertext in the database. ``max_length`` limits the plain
    value (forms and validation), not the column. Only ``isnull``/empty lookups make sense."""

    def from_db_value(self, value, expression, connection):
        if not value:
            return ""
        if not value.startswith(FERNET_PREFIX):
            return value  # written before the field was encrypted; the migration encrypts it
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return ""
        if value.startswith(FERNET_PREFIX):
            return value  # already a token (a value copied from another encrypted column)
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
