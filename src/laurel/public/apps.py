from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "laurel.public"
    label = "public"
    verbose_name = _("公示与异议")

    def ready(self):
        from laurel.accounts import inbox
        from laurel.nominations.procedure import PROCEDURE_CHECKS

        from .services.notices import notice_problems
        from .views import objections_inbox_section

        inbox.register(objections_inbox_section)
        PROCEDURE_CHECKS.append(notice_problems)
