"""Write helpers shared by every app's services."""

from collections.abc import Callable, Iterable

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
