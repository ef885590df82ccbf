from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "laurel.campaigns"
    label = "campaigns"
    verbose_name = _("评选表彰活动")

    def ready(self):
        from laurel.accounts import inbox

        from .views import quota_inbox_section

        inbox.register(quota_inbox_section)
