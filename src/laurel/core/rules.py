import rules

from laurel.accounts.predicates import is_active_user, is_provincial_office, is_system_admin

rules.add_perm("core.view_reference", is_active_user)
rules.add_perm("core.manage_calendar", is_system_admin | is_provincial_office)
rules.add_perm("core.view_audit_log", is_system_admin | is_provincial_office)
