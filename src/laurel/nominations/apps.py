from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NominationsConfig(AppConfig):
    name = "laurel.nominations"
    label = "nominations"
    verbose_name = _("推荐")

    def ready(self):
        from laurel.accounts import inbox
        from laurel.campaigns import dashboard

        from .views import drafts_inbox_section, progress_counts

        dashboard.PROGRESS_PROVIDERS.append(progress_counts)
        inbox.register(drafts_inbox_section)
