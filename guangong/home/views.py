from django.views.generic import TemplateView

from guangong.core.views import VerbRequiredMixin
from guangong.orgs.views import scope_roots
from guangong.reporting.views.reports import report_notices
from guangong.stats.coverage import coverage


class HomeView(VerbRequiredMixin, TemplateView):
    """The landing page: the user's organisation at a glance."""

    template_name = "home/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        root = scope_roots(self.request.user).first()
        ctx["root"] = root
        ctx["cov"] = coverage(root, include_children=False) if root else None
        ctx["report_notices"] = report_notices(self.request.user)
        return ctx
