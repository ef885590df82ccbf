"""Laurel's settings plus Django's admin, for the admin changelist baseline of list_pages.py only:
the project itself does not install the admin."""

from laurel.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "django.contrib.admin"]  # noqa: F405
ROOT_URLCONF = "urls_admin"
