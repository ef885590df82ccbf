from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "laurel.api"
    label = "api"
    verbose_name = _("接口")

    def ready(self):
        # A password reset, a deactivation or a role taken away ends the user's API token.
        from laurel.accounts.signals import credentials_changed

        from .services.tokens import drop_tokens

        credentials_changed.connect(drop_tokens, dispatch_uid="api-tokens")
