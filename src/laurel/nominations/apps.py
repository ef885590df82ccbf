from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NominationsConfig(AppConfig):
    name = "laurel.nominations"
    label = "nominations"
    verbose_name = _("推荐")

    def ready(self):
        from laurel.accounts import inbox
        from laurel.campaigns import dashboard

        from .procedure import PROCEDURE_CHECKS
        from .services.clearance import clearance_problems
        from .views import (
            clearance_inbox_section,
            drafts_inbox_section,
            progress_counts,
            review_inbox_section,
        )

        dashboard.PROGRESS_PROVIDERS.append(progress_counts)
        inbox.register(drafts_inbox_section)
        inbox.register(clearance_inbox_section)
        inbox.register(review_inbox_section)
        PROCEDURE_CHECKS.append(clearance_problems)
