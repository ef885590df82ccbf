import rules

from .predicates import in_jurisdiction, is_system_admin

rules.add_perm("accounts.manage_users", is_system_admin)
rules.add_perm("accounts.view_user", is_system_admin & in_jurisdiction)
