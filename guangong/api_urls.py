"""The REST API under /api/: token auth, schema, docs, and one router for every app."""

from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from guangong.accounts.api import ObtainTokenView
from guangong.activities.api import ActivityViewSet
from guangong.core import resource_api
from guangong.dicts.api import DictItemViewSet
from guangong.orgs.api import OrganizationViewSet, PositionViewSet
from guangong.stats.api import SummaryView

#: Viewsets not yet declared by a resource (``core.resource_api``): prefix, viewset, basename.
HAND_ROUTES = [
    ("orgs", OrganizationViewSet, "organization"),
    ("positions", PositionViewSet, "position"),
    ("dicts", DictItemViewSet, "dictitem"),
    ("activities", ActivityViewSet, "activity"),
]

router = resource_api.router()
declared = {prefix for prefix, _viewset, _basename in router.registry}
for prefix, viewset, basename in HAND_ROUTES:
    if prefix not in declared:
        router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI sets inline styles; scripts stay same-origin only.
    path(
        "docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="schema")
        ),
        name="swagger-ui",
    ),
    path("stats/summary/", SummaryView.as_view(), name="stats-summary"),
    path("", include(router.urls)),
]
