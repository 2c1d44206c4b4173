"""The REST API under /api/: token auth, schema, docs, and one router for every app."""

from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from guangong.accounts.api import ObtainTokenView
from guangong.activities.api import ActivityViewSet
from guangong.care.api import CaseViewSet
from guangong.dicts.api import DictItemViewSet
from guangong.helpdesk.api import HelpRequestViewSet
from guangong.orgs.api import OrganizationViewSet, PositionViewSet
from guangong.people.api import ElderViewSet, MentorshipViewSet, TeamViewSet, YouthViewSet
from guangong.reporting.api import ReportFormViewSet, ReportViewSet
from guangong.stats.api import SummaryView

router = DefaultRouter()
router.register("orgs", OrganizationViewSet, basename="organization")
router.register("positions", PositionViewSet, basename="position")
router.register("dicts", DictItemViewSet, basename="dictitem")
router.register("elders", ElderViewSet, basename="elder")
router.register("youth", YouthViewSet, basename="youth")
router.register("teams", TeamViewSet, basename="team")
router.register("mentorships", MentorshipViewSet, basename="mentorship")
router.register("cases", CaseViewSet, basename="case")
router.register("activities", ActivityViewSet, basename="activity")
router.register("help-requests", HelpRequestViewSet, basename="helprequest")
router.register("report-forms", ReportFormViewSet, basename="reportform")
router.register("reports", ReportViewSet, basename="report")

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
