"""WSGI entry point (granian serves it in `svodka serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "svodka_site.settings")
application = get_wsgi_application()
