import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laurel.settings")
application = get_wsgi_application()

from laurel.core.runtime import settle  # noqa: E402 — needs Django set up

settle()
