"""Permission predicates (django-rules) shared by every app's ``rules.py``."""

import rules

from .roles import Role


def has_role(*roles: str):
    name = "has_role:" + ",".join(roles)

    @rules.predicate(name=name)
    def predicate(user):
        return bool(user and user.is_authenticated and user.has_role(*roles))

    return predicate


@rules.predicate
def in_jurisdiction(user, obj):
    """The object is inside the user's jurisdiction (the same filter lists use)."""
    if obj is None or not user.is_authenticated:
        return False
    return type(obj)._default_manager.restrict(user).filter(pk=obj.pk).exists()


is_active_user = rules.is_authenticated & rules.is_active
is_system_admin = is_active_user & (rules.is_superuser | has_role(Role.SYSTEM_ADMIN))
is_provincial_office = is_active_user & has_role(Role.PROVINCIAL_OFFICE)
is_nominating_body = is_active_user & has_role(Role.NOMINATING_BODY)
