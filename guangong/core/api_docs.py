"""接口文档: the API's Swagger UI inside the shell (the header, the menu, a way back), its
script and styles from our own origin (drf-spectacular's sidecar)."""

from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocsView(SpectacularSwaggerSplitView):
    template_name = "core/api_docs.html"
