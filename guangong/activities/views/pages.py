"""Pages of the activity ledger (活动台账): list, detail, full form, quick entry, delete.

Reading starts from ``Activity.objects.visible_to(user)`` (a joint activity is seen by its
co-organisers too); editing from ``editable_by`` (the owner's side only): anything else answers
404. Every change goes through ``services``, which keeps the statistics counters exact.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guangong.core.forms import apply_validation_error, quoted_name
from guangong.core.ids import parse_id
from guangong.core.resource_views import ResourceDetailView, ResourceFormView, ResourceListView
from guangong.core.views import ChoicesView, ServiceFormView
from guangong.orgs.models import Organization
from guangong.people.models import Elder, Team, Youth

from .. import plausibility, services
from ..forms import AttachmentForm, QuickActivityForm, ask_to_confirm, elder_formset
from ..models import Activity
from ..tables import activity_export_fields
from ..totals import ledger_totals


def editable(user, activity: Activity) -> bool:
    return Activity.objects.editable_by(user).filter(pk=activity.pk).exists()


class ActivityListView(ResourceListView):
    template_name = "activities/activity_list.html"
    actions_template = "activities/list_actions.html"
    export_name = gettext_lazy("Activity ledger")
    printable = True  # an organisation's ledger for a period, on A4

    def get_queryset(self):
        qs = super().get_queryset()
        return qs.annotate(co_organizer_count=Count("co_organizers", distinct=True)).order_by(
            "-date", "-pk"
        )

    def export_fields(self):
        return activity_export_fields()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        org = self.request.GET.get("org", "")
        add_url = reverse("activities:activity_add")
        ctx["add_url"] = f"{add_url}?org={org}" if org.isdigit() else add_url
        ctx["quick_url"] = reverse("activities:activity_quick")
        ctx["import_url"] = reverse("activities:activity_import")
        ctx["totals"] = self.totals()
        return ctx

    def totals(self) -> dict | None:
        """The rows' totals when the list is one subtree over one period (what a figure of
        the statistics page links to); a list of everything is not summed."""
        filterset = getattr(self, "filterset", None)
        if filterset is None or not filterset.is_valid():
            return None
        data = filterset.form.cleaned_data
        if not (data.get("org") and data.get("date_from") and data.get("date_to")):
            return None
        return ledger_totals(self.object_list)


class ActivityDetailView(ResourceDetailView):
    template_name = "activities/activity_detail.html"

    def get_object(self, queryset=None):
        rows = self.resource.queryset().select_related("audience", "created_by")
        return self.resource.policy.get(self.request.user, self.kwargs["pk"], "read", rows)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        activity = self.object
        ctx["elder_links"] = activity.elder_links.select_related(
            "elder", "elder__organization"
        ).order_by("elder__name", "pk")
        ctx["teams"] = activity.teams.select_related("organization").order_by("name")
        # Elders and teams of other organisations are named, but linked only where the reader
        # may open them (a link to a page that answers 404 helps no one).
        ctx["linked_elders"] = set(
            Elder.objects.visible_to(user)
            .filter(pk__in=[link.elder_id for link in ctx["elder_links"]])
            .values_list("pk", flat=True)
        )
        ctx["linked_teams"] = set(
            Team.objects.visible_to(user)
            .filter(pk__in=[team.pk for team in ctx["teams"]])
            .values_list("pk", flat=True)
        )
        youths = activity.youths.all()
        ctx["youths"] = (
            Youth.objects.visible_to(user)
            .filter(pk__in=youths.values("pk"))
            .select_related("organization")
            .order_by("name")
        )
        ctx["hidden_youths"] = youths.count() - ctx["youths"].count()
        ctx["co_organizers"] = activity.co_organizers.order_by("path")
        ctx["photos"] = activity.attachments.filter(kind="photo")
        ctx["documents"] = activity.attachments.filter(kind="document")
        ctx["can_edit"] = editable(user, activity)
        ctx["attachment_form"] = kwargs.get("attachment_form") or AttachmentForm()
        ctx["hours_total"] = sum((link.hours for link in ctx["elder_links"]), 0)
        return ctx


class ActivityFormView(ResourceFormView):
    """Create (no ``pk``) or edit (``pk``: 404 unless the user's side owns it) an activity,
    with its elders' hours."""

    template_name = "activities/activity_form.html"

    def get_initial(self) -> dict:
        org = self.requested_org()
        editable_orgs = Organization.objects.editable_by(self.request.user)
        if org is not None and editable_orgs.filter(pk=org.pk).exists():
            return {"organization": org.pk}
        return {}

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        elders = elder_formset(request.user, self.object, request.POST)
        if form.is_valid() and elders.is_valid():
            try:
                activity = services.save_activity(
                    request.user,
                    form.instance,
                    elders=elders.elder_hours(),
                    teams=list(form.cleaned_data["teams"]),
                    youths=list(form.cleaned_data["youths"]),
                    co_organizers=list(form.cleaned_data["co_organizers"]),
                    confirmed=form.cleaned_data.get("confirmed", False),
                )
            except plausibility.NeedsConfirmation as exc:
                ask_to_confirm(form, exc)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, self.success_message % {"object": quoted_name(activity)})
                return HttpResponseRedirect(activity.get_absolute_url())
        return self.render_form(form, status=400, elders=elders)

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        return self.render_form(form, elders=elder_formset(request.user, self.object))

    def render_form(self, form, status=200, elders=None):
        ctx = self.get_context_data(form=form, elders=elders)
        return render(self.request, self.template_name, ctx, status=status)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if not self.object.pk:
            ctx["title"] = _("New activity")
        return ctx


class QuickActivityView(ServiceFormView):
    """The phone form: organisation preset, today's date, one submit."""

    template_name = "activities/activity_quick.html"
    success_message = None  # the page itself says what was recorded, beside the next entry
    # If the database is down when it is sent, the 503 page shows these back to copy
    # (core.errors.kept_input): what was typed is not lost with the page.
    outage_form_class = QuickActivityForm
    outage_kept_fields = ("title", "date", "place", "participants", "hours")

    def get_form(self, data=None, files=None):
        return QuickActivityForm(data, files, user=self.request.user)

    def post(self, request, *args, **kwargs):
        return self.submit(self.get_form(request.POST, request.FILES))

    def perform(self, form):
        user = self.request.user
        try:
            activity = services.save_activity(
                user,
                form.activity(),
                elders=form.elder_hours(),
                confirmed=form.cleaned_data.get("confirmed", False),
            )
        except plausibility.NeedsConfirmation as exc:
            ask_to_confirm(form, exc)
            raise ValidationError({}) from exc
        if form.cleaned_data.get("photo"):  # in the same unit: both saved, or neither
            services.add_attachment(user, activity, form.cleaned_data["photo"])
        return activity

    def get_success_url(self, obj) -> str:
        return reverse("activities:activity_quick") + f"?saved={obj.pk}"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        saved = parse_id(self.request.GET.get("saved"))
        if saved:
            ctx["saved"] = Activity.objects.visible_to(self.request.user).filter(pk=saved).first()
        return ctx


class OrgChoicesView(ChoicesView):
    """<option>s for the co-organiser picker: a search within scope, the chosen ones kept."""

    model = Organization
    template_name = "activities/org_choices.html"
    ordering = ("depth", "path")
    kept_ordered = False
