"""The care workers' pages: the triage queue, a request's page, and its actions.

Requests are read through ``HelpRequest.objects.visible_to`` (the ``care`` verb; 404 outside
the subtree) and changed only through ``services``. Users without the ``care`` verb see how
many requests there are, nothing of their content. The requester's phone is masked until an
audited reveal.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from guangong.core.forms import apply_validation_error
from guangong.core.resources import policy_for
from guangong.core.scope import get_visible_or_404, has_verb
from guangong.core.views import ObjectListView, ServiceFormView, VerbRequiredMixin
from guangong.people import dupcheck

from . import services
from .filters import HelpRequestFilterSet
from .forms import CloseForm, ConvertForm, ReferForm, ReplyForm, RevealPhoneForm
from .models import HelpRequest, Status
from .tables import HelpRequestTable


class QueueView(ObjectListView):
    """The triage queue: requests handled in the user's subtree, or referred on from it."""

    model = HelpRequest
    table_class = HelpRequestTable
    filterset_class = HelpRequestFilterSet
    export_name = gettext_lazy("Help requests")
    template_name = "helpdesk/queue.html"

    def get(self, request, *args, **kwargs):
        if not has_verb(request.user, "care"):
            counts = services.requests_per_status(HelpRequest.objects.countable_by(request.user))
            rows = [(label, counts[value]) for value, label in Status.choices]
            return render(
                request,
                "helpdesk/counts.html",
                {"rows": rows, "total": sum(counts.values())},
            )
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("organization", "kind", "assigned_to")
            .order_by("-created_at", "-pk")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        visible = HelpRequest.objects.visible_to(self.request.user)
        ctx["open_count"] = visible.filter(status__in=[Status.NEW, Status.REFERRED]).count()
        return ctx


def _request_or_404(user, pk) -> HelpRequest:
    return get_visible_or_404(
        HelpRequest.objects.select_related(
            "organization", "addressed_to", "kind", "assigned_to", "case"
        ),
        user,
        pk=pk,
    )


def _actionable_or_404(user, pk) -> HelpRequest:
    """The request for an action: 404 out of sight, 403 when only read after a referral."""
    req = _request_or_404(user, pk)
    services.refuse_read_only(user, req)
    return req


class RequestDetailView(VerbRequiredMixin, View):
    verb = "care"
    template_name = "helpdesk/request_detail.html"

    def get(self, request, pk):
        return self.render_page(request, _request_or_404(request.user, pk))

    def render_page(self, request, req, status=200, **extra):
        user = request.user
        can_act = not req.is_final and policy_for(HelpRequest).allows(user, "write", req)
        ctx = {
            "object": req,
            "replies": req.replies.all(),
            "referrals": req.referrals.select_related("from_org", "to_org"),
            "can_act": can_act,
            "can_reveal": policy_for(HelpRequest).may(user, "reveal"),
            "reply_form": ReplyForm(),
            "refer_form": ReferForm(targets=services.referral_targets(user, req)),
            "close_form": CloseForm(),
            "reveal_form": RevealPhoneForm(),
        }
        ctx.update(extra)
        response = render(request, self.template_name, ctx, status=status)
        response["Cache-Control"] = "no-store"
        return response


class ActionView(VerbRequiredMixin, View):
    """POST one action on a request; a refusal is shown as a message on its page."""

    verb = "care"
    http_method_names = ["post"]
    form_class = None
    done_message = ""

    def perform(self, req, form):
        raise NotImplementedError

    def form_kwargs(self, req) -> dict:
        return {}

    def post(self, request, pk):
        req = _actionable_or_404(request.user, pk)
        form = self.form_class(request.POST, **self.form_kwargs(req))
        if form.is_valid():
            try:
                self.perform(req, form)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, self.done_message)
                return HttpResponseRedirect(req.get_absolute_url())
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return HttpResponseRedirect(req.get_absolute_url())


class ReplyView(ActionView):
    form_class = ReplyForm
    done_message = gettext_lazy("Reply saved.")

    def perform(self, req, form):
        services.reply(
            self.request.user, req, form.cleaned_data["text"], form.cleaned_data["public"]
        )


class ReferView(ActionView):
    form_class = ReferForm
    done_message = gettext_lazy("Request referred.")

    def form_kwargs(self, req):
        return {"targets": services.referral_targets(self.request.user, req)}

    def perform(self, req, form):
        services.refer(
            self.request.user, req, form.cleaned_data["to_org"], form.cleaned_data["note"]
        )


class CloseView(ActionView):
    form_class = CloseForm
    done_message = gettext_lazy("Request closed.")

    def perform(self, req, form):
        services.close(self.request.user, req, form.cleaned_data["note"])


class TakeView(VerbRequiredMixin, View):
    """The care worker takes the request on (becomes its care worker)."""

    verb = "care"
    http_method_names = ["post"]

    def post(self, request, pk):
        req = _actionable_or_404(request.user, pk)
        try:
            services.assign(request.user, req)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("You are now the care worker of this request."))
        return HttpResponseRedirect(req.get_absolute_url())


class RevealPhoneView(RequestDetailView):
    """POST a reason, see the requester's phone once (audited); htmx swaps it in."""

    verb = "reveal"
    http_method_names = ["post"]

    def post(self, request, pk):
        req = _actionable_or_404(request.user, pk)  # needs the care verb too
        form = RevealPhoneForm(request.POST)
        phone = None
        if form.is_valid():
            try:
                phone = services.reveal_phone(request.user, req, form.cleaned_data["reason"])
            except ValidationError as exc:
                apply_validation_error(form, exc)
        if request.htmx:
            response = render(
                request,
                "helpdesk/_phone.html",
                {"object": req, "phone": phone, "reveal_form": form, "can_reveal": True},
            )
            response["Cache-Control"] = "no-store"
            return response
        return self.render_page(
            request, req, status=200 if phone else 400, phone=phone, reveal_form=form
        )


class ConvertView(ServiceFormView):
    """Turn the request into a care case: link a young person, or register a new one."""

    verb = "care"
    template_name = "helpdesk/convert.html"
    success_message = gettext_lazy("Care case %(object)s opened.")

    def get_request(self):
        self.help_request = _request_or_404(self.request.user, self.kwargs["pk"])
        return self.help_request

    def post(self, request, *args, **kwargs):
        # A new young person registered outside the scope is an audited answer, kept even
        # though the refused conversion rolls back.
        with dupcheck.recording():
            return super().post(request, *args, **kwargs)

    def get_form(self, data=None):
        req = self.get_request()
        initial = {"organization": req.organization_id}
        return ConvertForm(data, user=self.request.user, initial=initial)

    def perform(self, form):
        data = form.cleaned_data
        services.refuse_read_only(self.request.user, self.help_request)
        return services.convert(
            self.request.user,
            self.help_request,
            youth=data.get("youth"),
            new_youth=form.new_youth(),
            id_number=data.get("id_number", ""),
            allow_same_name=data.get("allow_same_name", False),
        )

    def get_success_url(self, obj):
        return self.help_request.get_absolute_url()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["object"] = self.help_request
        ctx["suggested"] = services.youth_with_phone(self.request.user, self.help_request)[:10]
        ctx["title"] = _("Turn into a care case")
        ctx["cancel_url"] = self.help_request.get_absolute_url()
        return ctx
