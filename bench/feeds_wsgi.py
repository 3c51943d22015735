"""WSGI app for ``bench/feeds.py``: Meridian plus one trivial view to compare with."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()

from django.http import JsonResponse  # noqa: E402
from django.urls import clear_url_caches, path  # noqa: E402

from config import urls  # noqa: E402


def trivial(request):
    """The reference: a Django view that reads nothing and answers a small JSON body."""
    return JsonResponse({"ok": True})


urls.urlpatterns.append(path("bench/trivial", trivial))
clear_url_caches()
