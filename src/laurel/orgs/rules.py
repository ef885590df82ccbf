import rules

from laurel.accounts.predicates import (
    in_jurisdiction,
    is_active_user,
    is_nominating_body,
    is_provincial_office,
    is_system_admin,
)

rules.add_perm("orgs.list_units", is_active_user)
rules.add_perm("orgs.view_unit", is_active_user & in_jurisdiction)
# Nominating bodies keep the units of their own area (e.g. an enterprise that nominates).
rules.add_perm("orgs.add_unit", is_system_admin | is_provincial_office | is_nominating_body)
rules.add_perm(
    "orgs.change_unit",
    is_system_admin | is_provincial_office | (is_nominating_body & in_jurisdiction),
)
