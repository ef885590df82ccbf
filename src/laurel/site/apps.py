from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The public site, no login: notices with the objection form, the honour roll, certificate
    verification. A face: it reads the public domain (notices, objections) and evaluation."""

    name = "laurel.site"
    label = "site"
    verbose_name = _("公众网站")
