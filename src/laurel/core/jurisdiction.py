"""The one jurisdiction filter: every queryset a user sees goes through ``restrict(user, action)``.

A model declares where its rows sit with :class:`JurisdictionPaths` (lookups to the owning unit's
tree path and id, and to the division's path); the user's roles decide the scope (see
:data:`laurel.core.roles.ROLE_SCOPES`). Modelled on NetBox's ``RestrictedQuerySet.restrict``:
``restrict(user)`` is "the rows the user may view"; ``restrict(user, action)`` narrows to the rows
on which a named rule of :mod:`laurel.core.permissions` allows the action.

The user is read by duck typing (``is_authenticated``, ``is_active``, ``is_superuser``,
``role_codes``, ``unit`` with ``path`` and ``division.path``), so this module imports no model and
``core`` and ``orgs`` use it without importing ``accounts``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from laurel.core.roles import ROLE_SCOPES, Scope

NOTHING = Q(pk__in=[])
# Every row. Not ``Q()``: an empty Q vanishes when OR-ed (``Q(a) | Q()`` is ``Q(a)``), which
# would silently narrow "the province" to the other operand.
EVERYTHING = Q(pk__isnull=False)


@dataclass(frozen=True)
class JurisdictionPaths:
    unit_path: str | None = None
    unit_id: str | None = None
    division_path: str | None = None


def user_scopes(user) -> set[Scope]:
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return {Scope.PROVINCE}
    return {ROLE_SCOPES[role] for role in user.role_codes if role in ROLE_SCOPES}


def scope_key(user) -> tuple:
    """Everything :func:`jurisdiction_q` reads of ``user``, as a hashable key: two users with the
    same key get the same filter, so a query compiled for one serves the other (a change of
    roles, unit or the unit's place changes the key)."""
    scopes = user_scopes(user)
    unit = getattr(user, "unit", None) if scopes and Scope.PROVINCE not in scopes else None
    if unit is None:
        return (frozenset(scopes),)
    division = unit.division.path if Scope.DIVISION in scopes else None
    return (frozenset(scopes), unit.pk, unit.path, division)


def jurisdiction_q(user, paths: JurisdictionPaths) -> Q:
    """The filter for rows of a model located by ``paths`` that ``user`` may see."""
    scopes = user_scopes(user)
    if Scope.PROVINCE in scopes:
        return EVERYTHING
    unit = getattr(user, "unit", None) if scopes else None
    if unit is None:
        return NOTHING
    condition = NOTHING
    if Scope.DIVISION in scopes and paths.division_path:
        condition |= Q(**{f"{paths.division_path}__startswith": unit.division.path})
    if Scope.UNIT_TREE in scopes and paths.unit_path:
        condition |= Q(**{f"{paths.unit_path}__startswith": unit.path})
    if Scope.OWN_UNIT in scopes and paths.unit_id:
        condition |= Q(**{paths.unit_id: unit.pk})
    return condition


# (model label, action) → the rows of that model on which a user may take the action. Filled by
# ``laurel.core.permissions.object_rule`` from each app's rules.py; "view" rows default to the
# jurisdiction, and a model may widen its own "view" rows (an expert sees the nominees of the
# panels they sit on).
ROW_FILTERS: dict[tuple[str, str], Callable[[object], Q]] = {}


def rows_q(model, user, action: str = "view") -> Q:
    """The rows of ``model`` on which ``user`` may take ``action`` (a Q)."""
    rows = ROW_FILTERS.get((model._meta.label_lower, action))
    if rows is not None:
        return rows(user)
    if action != "view":
        raise LookupError(f"no rule defines the action {action!r} on {model.__name__}")
    paths = getattr(model, "jurisdiction", None)
    if paths is None:
        raise TypeError(f"{model.__name__} declares no jurisdiction paths")
    return jurisdiction_q(user, paths)


class JurisdictionQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        """The rows ``user`` may see (``action="view"``) or may take the named action on."""
        return self.filter(rows_q(self.model, user, action))
