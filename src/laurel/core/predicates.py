"""Permission predicates (django-rules) shared by every app's ``rules.py``.

Role names are compared here and nowhere else: every other module asks a named rule (see
:mod:`laurel.core.permissions`). The user is read by duck typing (``role_codes``, ``unit_id``), so
``core`` does not import ``accounts``.
"""

import rules

from laurel.core.roles import Role


def has_role(*roles: str):
    name = "has_role:" + ",".join(roles)

    @rules.predicate(name=name)
    def predicate(user):
        return bool(user and user.is_authenticated and user.role_codes.intersection(roles))

    return predicate


@rules.predicate
def in_jurisdiction(user, obj):
    """The object is inside the user's jurisdiction (the same filter lists use)."""
    if obj is None or not user.is_authenticated:
        return False
    return type(obj)._default_manager.restrict(user).filter(pk=obj.pk).exists()


@rules.predicate
def has_unit(user):
    return bool(user and user.is_authenticated and user.unit_id)


is_active_user = rules.is_authenticated & rules.is_active
is_system_admin = is_active_user & (rules.is_superuser | has_role(Role.SYSTEM_ADMIN))
is_provincial_office = is_active_user & has_role(Role.PROVINCIAL_OFFICE)
# The provincial commendation office, or the system administrator standing in for it.
is_office = is_system_admin | is_provincial_office
is_leading_group = is_active_user & has_role(Role.LEADING_GROUP)
is_nominating_body = is_active_user & has_role(Role.NOMINATING_BODY)
is_nominating_unit = is_active_user & has_role(Role.NOMINATING_UNIT)
# Who enters nominations and registrations: a unit's officer or a nominating body.
is_nominator = is_active_user & has_role(Role.NOMINATING_UNIT, Role.NOMINATING_BODY)
is_reviewing_department = is_active_user & has_role(Role.REVIEWING_DEPARTMENT) & has_unit
is_clearance_department = is_active_user & has_role(Role.CLEARANCE_DEPARTMENT) & has_unit
is_panel_expert = is_active_user & has_role(Role.PANEL_EXPERT)
is_assessor = is_active_user & has_role(Role.ASSESSMENT_TEAM)
