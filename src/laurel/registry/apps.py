from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "laurel.registry"
    label = "registry"
    verbose_name = _("表彰人员登记")

    def ready(self):
        # orgs lets only the office move a unit whose registrations are under review.
        from laurel.orgs.signals import routing_in_use

        from .queries import routing_in_use as answer

        routing_in_use.connect(answer, dispatch_uid="registry-routing")
