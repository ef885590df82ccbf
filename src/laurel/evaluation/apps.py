from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "laurel.evaluation"
    label = "evaluation"
    verbose_name = _("综合评审")

    def ready(self):
        from laurel.accounts import inbox

        from .views import lists_inbox_section, panels_inbox_section

        inbox.register(panels_inbox_section)
        inbox.register(lists_inbox_section)
