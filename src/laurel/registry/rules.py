import rules

from laurel.accounts.predicates import (
    has_role,
    in_jurisdiction,
    is_active_user,
    is_provincial_office,
    is_system_admin,
)
from laurel.accounts.roles import Role

is_office = is_system_admin | is_provincial_office
is_registrar = is_active_user & has_role(Role.NOMINATING_UNIT, Role.NOMINATING_BODY)
is_reviewer = is_active_user & has_role(Role.REVIEWING_DEPARTMENT)

rules.add_perm("registry.search_people", is_office | is_reviewer | is_registrar)
rules.add_perm("registry.view_person", (is_active_user & in_jurisdiction) | is_office)
# Full ID numbers and phones: the reviewing departments of the area and the office; every
# unmasking is written to the audit trail (services.privacy.unmask).
rules.add_perm("registry.view_personal_data", (is_reviewer & in_jurisdiction) | is_office)
# Classified people (H-6) in full: the provincial office only.
rules.add_perm("registry.view_classified", is_office)
rules.add_perm("registry.manage_drives", is_office)
rules.add_perm("registry.add_registration", is_registrar | is_office)
rules.add_perm("registry.change_registration", (is_registrar & in_jurisdiction) | is_office)
rules.add_perm("registry.view_statistics", is_office | is_reviewer)
