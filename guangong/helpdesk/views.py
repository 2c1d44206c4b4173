"""The care workers' pages: the triage queue, a request's page, and its actions.

The queue and a request's page are the resource's pages (``helpdesk.resources``); requests are
read through the HelpRequest policy (the ``care`` verb; 404 outside the subtree) and changed
only through ``services``. Users without the ``care`` verb see how
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
from guangong.core.resource_views import ResourceDetailView, ResourceListView, ResourceMixin
from guangong.core.resources import policy_for
from guangong.core.views import ServiceFormView, VerbRequiredMixin
from guangong.people import dupcheck

from . import services
from .forms import CloseForm, ConvertForm, ReferForm, ReplyForm, RevealPhoneForm
from .models import HelpRequest, Status


class QueueView(ResourceListView):
    """The triage queue: requests handled in the user's subtree, or referred on from it."""

    op = "count"  # everyone who may count requests gets the page; care workers see them
    export_name = gettext_lazy("Help requests")
    template_name = "helpdesk/queue.html"

    def get(self, request, *args, **kwargs):
        if not self.resource.policy.may(request.user, "read"):
            counts = services.requests_per_status(HelpRequest.objects.countable_by(request.user))
            rows = [(label, counts[value]) for value, label in Status.choices]
            return render(
                request,
                "helpdesk/counts.html",
                {"rows": rows, "total": sum(counts.values())},
            )
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().order_by("-created_at", "-pk")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        visible = HelpRequest.objects.visible_to(self.request.user)
        ctx["open_count"] = visible.filter(status__in=[Status.NEW, Status.REFERRED]).count()
        return ctx


def detail_context(user, req: HelpRequest) -> dict:
    """What a request's page shows besides the request."""
    policy = policy_for(HelpRequest)
    return {
        "replies": req.replies.all(),
        "referrals": req.referrals.select_related("from_org", "to_org"),
        "can_act": not req.is_final and policy.allows(user, "write", req),
        "can_reveal": policy.may(user, "reveal"),
        "reply_form": ReplyForm(),
        "refer_form": ReferForm(targets=services.referral_targets(user, req)),
        "close_form": CloseForm(),
        "reveal_form": RevealPhoneForm(),
    }


def no_store(response):
    """The requester's details are never kept by a browser."""
    response["Cache-Control"] = "no-store"
    return response


class RequestDetailView(ResourceDetailView):
    template_name = "helpdesk/request_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(detail_context(self.request.user, self.object))
        return ctx

    def render_to_response(self, context, **kwargs):
        return no_store(super().render_to_response(context, **kwargs))


class RequestMixin(ResourceMixin, VerbRequiredMixin):
    """A page or action on one request (``pk``): for users who may read requests; 404 when
    the request is out of sight, 403 when it is only read after a referral."""

    def get_request(self) -> HelpRequest:
        user = self.request.user
        return self.resource.policy.get(user, self.kwargs["pk"], "read", self.resource.queryset())

    def actionable(self) -> HelpRequest:
        req = self.get_request()
        services.refuse_read_only(self.request.user, req)
        return req


class ActionView(RequestMixin, View):
    """POST one action on a request; a refusal is shown as a message on its page."""

    http_method_names = ["post"]
    form_class = None
    done_message = ""

    def perform(self, req, form):
        raise NotImplementedError

    def form_kwargs(self, req) -> dict:
        return {}

    def post(self, request, pk):
        req = self.actionable()
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


class TakeView(RequestMixin, View):
    """The care worker takes the request on (becomes its care worker)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        req = self.actionable()
        try:
            services.assign(request.user, req)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("You are now the care worker of this request."))
        return HttpResponseRedirect(req.get_absolute_url())


class RevealPhoneView(RequestMixin, View):
    """POST a reason, see the requester's phone once (audited); htmx swaps it in."""

    op = "reveal"
    http_method_names = ["post"]

    def post(self, request, pk):
        req = self.actionable()
        form = RevealPhoneForm(request.POST)
        phone = None
        if form.is_valid():
            try:
                phone = services.reveal_phone(request.user, req, form.cleaned_data["reason"])
            except ValidationError as exc:
                apply_validation_error(form, exc)
        ctx = {"object": req, "phone": phone, "reveal_form": form}
        if request.htmx:
            return no_store(render(request, "helpdesk/_phone.html", {**ctx, "can_reveal": True}))
        ctx = {**detail_context(request.user, req), **ctx}
        page = render(request, RequestDetailView.template_name, ctx, status=200 if phone else 400)
        return no_store(page)


class ConvertView(RequestMixin, ServiceFormView):
    """Turn the request into a care case: link a young person, or register a new one."""

    template_name = "helpdesk/convert.html"
    success_message = gettext_lazy("Care case %(object)s opened.")

    def post(self, request, *args, **kwargs):
        # A new young person registered outside the scope is an audited answer, kept even
        # though the refused conversion rolls back.
        with dupcheck.recording():
            return super().post(request, *args, **kwargs)

    def get_form(self, data=None):
        req = self.help_request = self.get_request()
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
