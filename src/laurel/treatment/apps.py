from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TreatmentConfig(AppConfig):
    name = "laurel.treatment"
    label = "treatment"
    verbose_name = _("表彰人员待遇")

    def ready(self):
        from laurel.orgs.signals import routing_in_use
        from laurel.treatment import receivers, rules  # noqa: F401 (registers)

        routing_in_use.connect(receivers.routing_in_use, dispatch_uid="treatment-routing")
