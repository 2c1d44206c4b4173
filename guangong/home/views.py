from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from guangong.core import dates
from guangong.core.ids import parse_id
from guangong.core.periods import Kind, Period
from guangong.core.views import VerbRequiredMixin
from guangong.orgs.views import scope_roots
from guangong.reporting.views.reports import report_notices
from guangong.stats.activities import tally
from guangong.stats.coverage import coverage

from . import todo


class HomeView(VerbRequiredMixin, TemplateView):
    """The landing page: big buttons for the user's daily work (by what their role may do),
    this month's figures of their organisation, the first of their to-do, and its coverage."""

    template_name = "home/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        root = scope_roots(user).first()
        ctx["root"] = root
        ctx["may"] = {verb: user.has_verb(verb) for verb in ("edit", "approve", "care")}
        ctx["may"]["users"] = user.has_verb("manage_users")
        month = Period.containing(Kind.MONTH, dates.today())
        ctx["month"] = month
        ctx["month_figures"] = tally(root, month).total() if root else None
        ctx["cov"] = coverage(root, include_children=False) if root else None
        ctx["report_notices"] = report_notices(self.request.user)
        mine = todo.for_request(self.request)
        ctx["todo_items"] = mine.items()[: todo.HOME_ITEMS]
        ctx["todo_more"] = mine.count > todo.HOME_ITEMS
        return ctx


class TodoView(VerbRequiredMixin, TemplateView):
    """待办: what waits for the user, grouped by kind, one tap to each thing."""

    template_name = "home/todo.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        mine = todo.for_request(self.request)
        ctx["groups"] = mine.groups()
        ctx["total"] = mine.count
        return ctx


class NextReportView(VerbRequiredMixin, View):
    """下一份待审: the next report waiting for the user's approval (after ``?after=<id>``), or
    back to the to-do list when none is left."""

    verb = "approve"

    def get(self, request):
        report = todo.next_report_to_approve(request.user, after=parse_id(request.GET.get("after")))
        if report is None:
            messages.info(request, _("No more reports wait for your approval."))
            return HttpResponseRedirect(reverse("home:todo"))
        return HttpResponseRedirect(report.get_absolute_url())
