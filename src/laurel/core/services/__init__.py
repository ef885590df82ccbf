"""Write helpers shared by every app's services."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def sync_codes(
    current: dict, wanted: Iterable[str], allowed: Iterable[str], create: Callable, field: str
) -> None:
    """Make a set of child rows keyed by a code match ``wanted``: create the missing ones with
    ``create(code)``, delete the extra ones (each write audited by the models' signals).
    ``current`` maps code → row; unknown codes are refused naming ``field``."""
    wanted = set(wanted)
    unknown = wanted - set(allowed)
    if unknown:
        raise ValidationError({field: _("未知的代码：%s") % "、".join(sorted(unknown))})
    for code in sorted(wanted - current.keys()):
        create(code)
    for code in current.keys() - wanted:
        current[code].delete()


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0

    def __str__(self):
        return _("新增%(created)d条，更新%(updated)d条") % {
            "created": self.created,
            "updated": self.updated,
        }


def upsert(model, lookup: dict, values: dict, result: LoadResult | None = None):
    """Create or update the row found by ``lookup`` so that it carries ``values``; saves only
    when something changed (so loading the same data twice writes nothing, audit included)."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
        if result is not None:
            result.created += 1
        return obj
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    if changed:
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
        if result is not None:
            result.updated += 1
    return obj
