"""The API docs page (Swagger UI, served from drf-spectacular-sidecar: no CDN).

Swagger UI's React code sets one inline ``style`` attribute (on the hidden SVG sprite of its
icons). The project's policy allows no inline style; this page alone allows that one
attribute by its hash (CSP Level 3 ``'unsafe-hashes'``, which admits only attributes whose
exact text hashes to it), so the page logs no violation and the policy stays strict.
``tests/pages/test_docs_browser.py`` fails if a new Swagger UI sets another one.
"""

from django.conf import settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView

SWAGGER_STYLE_HASHES = ("'sha256-MMpT0iDxyjALd9PdfepImGX3DBfJPXZ4IlDWdPAgtn0='",)


def docs_policy() -> str:
    allowed = " ".join(("'self'", "'unsafe-hashes'", *SWAGGER_STYLE_HASHES))
    return settings.CONTENT_SECURITY_POLICY.replace("style-src 'self'", f"style-src {allowed}")


class ApiDocsView(SpectacularSwaggerSplitView):
    @extend_schema(exclude=True)  # as the parent's: the docs page is not part of the API
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if settings.CONTENT_SECURITY_POLICY:
            response["Content-Security-Policy"] = docs_policy()
        return response
