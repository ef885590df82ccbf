"""Who may manage user accounts."""

from django.utils.translation import gettext_lazy as _

from laurel.core.permissions import rule
from laurel.core.predicates import is_active_user, is_system_admin

rule("accounts.manage_users", is_system_admin, refused=_("只有系统管理员可以管理用户。"))
# Every user keeps their own password and API token.
rule("accounts.change_own_password", is_active_user)
