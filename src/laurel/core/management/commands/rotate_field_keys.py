"""Re-encrypt every encrypted column under the newest field key, and (``--rehash``) recompute
the look-up hashes under the current look-up key.

Key rotation (docs/security.md): put the new key first in LAUREL_FIELD_KEYS and keep the old
one after it (old values still decrypt, new values use the new key); restart; run this
command; then drop the old key. A new look-up key: set LAUREL_LOOKUP_KEY to it and
LAUREL_OLD_LOOKUP_KEYS to the old one (look-ups search both, bulk imports wait), restart, run
``--rehash``, then remove LAUREL_OLD_LOOKUP_KEYS."""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from laurel.core import crypto
from laurel.core.fields import EncryptedTextField

CHUNK = 500


def encrypted_columns():
    """(model, [EncryptedTextField names], [token column names]) for every model that has any."""
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        tokens = list(getattr(model, "cipher_fields", ()))
        if fields or tokens:
            yield model, fields, tokens


class Command(BaseCommand):
    help = "用最新的字段密钥重新加密全部加密字段；--rehash 时按当前检索密钥重算检索哈希。"

    def add_arguments(self, parser):
        parser.add_argument("--rehash", action="store_true", help="重算身份证号码的检索哈希。")

    def handle(self, *args, rehash=False, **options):
        self.conflicts = []
        total = 0
        for model, fields, tokens in encrypted_columns():
            hashed = rehash and any(f.name == "id_hash" for f in model._meta.concrete_fields)
            count = self._rotate(model, fields, tokens, hashed)
            total += count
            self.stdout.write(
                _("%(model)s：%(count)d行") % {"model": model._meta.verbose_name, "count": count}
            )
        self.stdout.write(_("完成：共重新加密%d行。") % total)
        if self.conflicts:
            # The same person entered twice while the old key was still in use: the office
            # merges or withdraws one, then runs the command again.
            raise CommandError(
                _("以下记录与同一身份证号码的另一条记录冲突，未改写，请核对后重新运行：%s")
                % "、".join(self.conflicts)
            )

    def _rotate(self, model, fields, tokens, hashed: bool) -> int:
        count = 0
        pks = list(model._base_manager.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), CHUNK):
            with transaction.atomic():
                # Whole rows: an audited model reads every field when it is loaded.
                rows = model._base_manager.filter(pk__in=pks[start : start + CHUNK])
                for row in rows.select_for_update():
                    values = {name: getattr(row, name) for name in fields}  # decrypted
                    values.update({name: crypto.rotate(getattr(row, name)) for name in tokens})
                    if hashed:
                        plain = row.id_number  # decrypted by the field or the property
                        values["id_hash"] = crypto.lookup_hash(plain) if plain else ""
                    try:
                        with transaction.atomic():  # one row's conflict does not stop the rest
                            model._base_manager.filter(pk=row.pk).update(**values)
                    except IntegrityError:
                        self.conflicts.append(f"{model._meta.verbose_name} #{row.pk}")
                        continue
                    count += 1
        return count
