"""Optional intranet login: the password is checked by the organisation's directory (LDAP)
through django-auth-ldap; everything else — the account, its unit, roles, jurisdiction and
whether it is active — stays Laurel's, set by the office (干部管理权限 is not in a directory).

Enabled by ``LAUREL_LDAP_URL`` (docs/security.md, README). A directory user without a Laurel
account is refused (nobody gets in by existing in the directory); local passwords keep
working, also while the directory cannot be reached. Needs python-ldap and django-auth-ldap
(``make ldap``)."""

from django_auth_ldap.backend import LDAPBackend

from laurel.accounts.backends import NoModelPermissions
from laurel.accounts.middleware import DIRECTORY_SESSION_KEY


class DirectoryBackend(NoModelPermissions, LDAPBackend):
    """django-auth-ldap's backend with Laurel's rules: only accounts the administrator marked
    for directory login (``User.directory_login``), found by their exact username (so that
    django-axes, which counts failures per username as typed, counts every attempt on the
    account); active ones only, also for a session already open; no permissions granted
    (every "may X" is a named rule); accounts never created or updated."""

    def get_or_build_user(self, username, ldap_user):
        model = self.get_user_model()
        user = model.objects.filter(username=username, directory_login=True).first()
        if user is None:
            # "built": refused by AUTH_LDAP_NO_NEW_USERS, nothing is saved
            return model(username=username), True
        return user, False

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and not user.is_active:
            return None
        if user is not None and request is not None and hasattr(request, "session"):
            # The password lives in the directory: no local password to change first.
            request.session[DIRECTORY_SESSION_KEY] = True
        return user

    def get_user(self, user_id):
        user = super().get_user(user_id)
        if user is None or not user.is_active:
            return None
        return user
