"""The one jurisdiction filter: every queryset a user sees goes through ``restrict(user)``.

A model declares where its rows sit with :class:`JurisdictionPaths` (lookups to the owning unit's
tree path and id, and to the division's path); the user's roles decide the scope (see
:data:`laurel.accounts.roles.ROLE_SCOPES`). Modelled on NetBox's ``RestrictedQuerySet.restrict``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from .roles import ROLE_SCOPES, Scope

NOTHING = Q(pk__in=[])


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


def jurisdiction_q(user, paths: JurisdictionPaths) -> Q:
    """The filter for rows of a model located by ``paths`` that ``user`` may see."""
    scopes = user_scopes(user)
    if Scope.PROVINCE in scopes:
        return Q()
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


class JurisdictionQuerySet(models.QuerySet):
    def restrict(self, user):
        paths = getattr(self.model, "jurisdiction", None)
        if paths is None:
            raise TypeError(f"{self.model.__name__} declares no jurisdiction paths")
        return self.filter(jurisdiction_q(user, paths))
