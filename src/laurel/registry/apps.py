from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "laurel.registry"
    label = "registry"
    verbose_name = _("表彰人员登记")
