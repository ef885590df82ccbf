from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "laurel.registry"
    label = "registry"
    verbose_name = _("表彰人员登记")

    def ready(self):
        from laurel.accounts import inbox
        from laurel.evaluation import signals
        from laurel.nominations import eligibility

        from . import rules  # noqa: F401
        from .services import links
        from .views import registrations_inbox_section

        eligibility.PRIOR_HONOUR_SOURCES.append(links.registry_prior_honours)
        signals.awards_issued.connect(links.on_awards_issued, dispatch_uid="registry-awards")
        signals.award_revoked.connect(links.on_award_revoked, dispatch_uid="registry-revoked")
        inbox.register(registrations_inbox_section)
