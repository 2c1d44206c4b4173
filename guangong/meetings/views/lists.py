"""The lists of meetings, member units and action items, under the section's tabs; the
meeting list shows the year's figures of the user's subtree."""

from django.urls import reverse
from django.utils import timezone

from guangong.core.periods import Period
from guangong.core.resource_views import ResourceListView
from guangong.core.scope import requested_org, subtree_q
from guangong.orgs.models import Organization

from ..figures import items_in, joint_activities
from ..models import Meeting, MeetingStatus


class SectionListView(ResourceListView):
    template_name = "meetings/list.html"
    tab = ""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["tab"] = self.tab
        if "add" in self.resource.pages and not self.resource.parent:
            ctx["add_url"] = reverse(self.resource.url_name("add"))
        return ctx


class UnitListView(SectionListView):
    tab = "units"


class ItemListView(SectionListView):
    tab = "items"


class MeetingListView(SectionListView):
    tab = "meetings"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["schedule_url"] = reverse("meetings:meeting_schedule")
        org = requested_org(self.request, Organization.objects.visible_to(user))
        if org is not None:
            year = Period.year(timezone.localdate().year)
            held = Meeting.objects.visible_to(user).filter(
                subtree_q("organization__path", org.path),
                date__gte=year.start,
                date__lte=year.end,
            )
            ctx["figures"] = {
                "held": held.exclude(status=MeetingStatus.PLANNED).count(),
                "joint": joint_activities(user, org, year),
                "overdue": items_in(user, org).overdue().count(),
            }
        return ctx
