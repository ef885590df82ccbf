from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "laurel.core"
    label = "core"
    verbose_name = _("基础数据")

    def ready(self):
        from . import audit

        audit.connect_signals()
