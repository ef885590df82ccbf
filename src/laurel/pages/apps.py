from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    """The staff's cross-cutting pages: the inbox and the menu. A face: it reads every domain."""

    name = "laurel.pages"
    label = "pages"
    verbose_name = _("工作台")
