"""The REST API under /api/: token auth, schema, docs, and one router for every app."""

from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from guangong.accounts.api import ObtainTokenView
from guangong.core import resource_api
from guangong.core.api_docs import ApiDocsView
from guangong.home.api import TodoView
from guangong.stats.api import SummaryView
from guangong.stats.pivot_api import DistributionView, PivotView

#: Every model's viewset, from its resource declaration (``core.resource_api``).
router = resource_api.router()

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI, inside the shell; it sets inline styles, scripts stay same-origin only.
    path(
        "docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(ApiDocsView.as_view(url_name="schema")),
        name="swagger-ui",
    ),
    path("stats/summary/", SummaryView.as_view(), name="stats-summary"),
    path("stats/pivot/", PivotView.as_view(), name="stats-pivot"),
    path("stats/distribution/", DistributionView.as_view(), name="stats-distribution"),
    path("todo/", TodoView.as_view(), name="todo"),
    path("", include(router.urls)),
]
