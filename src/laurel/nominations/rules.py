import rules

from laurel.accounts.predicates import (
    has_role,
    in_jurisdiction,
    is_active_user,
    is_provincial_office,
    is_system_admin,
)
from laurel.accounts.roles import Role

is_nominator = is_active_user & has_role(Role.NOMINATING_UNIT, Role.NOMINATING_BODY)
is_office = is_system_admin | is_provincial_office

rules.add_perm("nominations.list_nominees", is_active_user)
rules.add_perm("nominations.view_nominee", is_active_user & in_jurisdiction)
rules.add_perm("nominations.add_nominee", is_nominator | is_office)
rules.add_perm("nominations.change_nominee", (is_nominator & in_jurisdiction) | is_office)
rules.add_perm(
    "nominations.rank_nominees",
    (is_active_user & has_role(Role.NOMINATING_BODY) & in_jurisdiction) | is_office,
)
# Full ID numbers and phone numbers: the people who enter, review and manage nominations.
rules.add_perm(
    "nominations.view_personal_data",
    (
        is_active_user
        & has_role(Role.NOMINATING_UNIT, Role.NOMINATING_BODY, Role.REVIEWING_DEPARTMENT)
        & in_jurisdiction
    )
    | is_office,
)
