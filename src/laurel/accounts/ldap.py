"""Optional intranet login: the password is checked by the organisation's directory (LDAP)
through django-auth-ldap; everything else — the account, its unit, roles, jurisdiction and
whether it is active — stays Laurel's, set by the office (干部管理权限 is not in a directory).

Enabled by ``LAUREL_LDAP_URL`` (docs/security.md, README). A directory user without a Laurel
account is refused (nobody gets in by existing in the directory); local passwords keep
working, also while the directory cannot be reached. Needs python-ldap and django-auth-ldap
(``make ldap``)."""

from django_auth_ldap.backend import LDAPBackend


class DirectoryBackend(LDAPBackend):
    """django-auth-ldap's backend with Laurel's rules: it grants no permissions (every "may X"
    is a named rule), never creates or updates accounts, and refuses deactivated ones."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and not user.is_active:
            return None
        return user

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        return set()

    def has_perm(self, user_obj, perm, obj=None):
        return False

    def has_module_perms(self, user_obj, app_label):
        return False
