"""Authentication backends."""

from django.contrib.auth.backends import ModelBackend


class NoModelPermissions:
    """A login backend that grants no permissions: every "may X" is a named rule
    (``laurel.core.permissions``, through django-rules), never a row of Django's permission
    tables, which nobody maintains here and which would give superusers every model permission
    without asking the rule."""

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


class PasswordBackend(NoModelPermissions, ModelBackend):
    """Username and password, as Django's ``ModelBackend``, without its permissions."""
