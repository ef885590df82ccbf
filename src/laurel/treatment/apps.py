from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TreatmentConfig(AppConfig):
    name = "laurel.treatment"
    label = "treatment"
    verbose_name = _("表彰人员待遇")

    def ready(self):
        from laurel.treatment import receivers, rules  # noqa: F401 (registers)
