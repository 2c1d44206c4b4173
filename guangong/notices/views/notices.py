"""The notices' pages: the list, a notice (opening it records the read receipt), the form,
issuing, reminding, the receipts page with its export, feedback and files."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from guangong.audit.services import Action, record
from guangong.core.actions import batch
from guangong.core.export import build_workbook, xlsx_response
from guangong.core.resource_views import (
    ResourceDetailView,
    ResourceListView,
    ResourceMixin,
)
from guangong.core.resources import policy_for
from guangong.core.views import ObjectListView, ServiceFormView, VerbRequiredMixin

from ..filters import ReceiptFilterSet
from ..forms import FeedbackForm, RemindForm
from ..models import Notice, NoticeFile, NoticeStatus, Receipt
from ..services import notices as services
from ..tables import ReceiptTable
from .common import RuledDeleteView, RuledFormView, file_response


class NoticeListView(ResourceListView):
    actions_template = "notices/notice_list_actions.html"
    export_name = gettext_lazy("Notices")

    def get_queryset(self):
        return super().get_queryset().order_by("-created_at", "-pk")


def tally(notice: Notice) -> dict:
    receipts = Receipt.objects.filter(notice=notice)
    total = receipts.count()
    unread = receipts.filter(read_at__isnull=True).count()
    answered = receipts.filter(answered_at__isnull=False).count()
    return {"total": total, "read": total - unread, "unread": unread, "answered": answered}


class NoticeDetailView(ResourceDetailView):
    def get_object(self, queryset=None):
        notice = super().get_object(queryset)
        services.read_on_open(self.request.user, notice)
        return notice

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, notice = self.request.user, self.object
        policy = policy_for(Notice)
        mine = None
        if user.organization_id is not None:
            mine = Receipt.objects.filter(notice=notice, organization_id=user.organization_id)
            mine = mine.select_related("notice").first()
        issuer_side = policy.allows(user, "remind", notice)
        ctx.update(
            files=notice.files.filter(receipt__isnull=True),
            co_issuers=notice.co_issuers.all(),
            can_edit=policy.allows(user, "write", notice),
            issuer_side=issuer_side,
            tally=tally(notice) if notice.status == NoticeStatus.ISSUED else None,
            mine=mine,
            can_answer=mine is not None and policy_for(Receipt).allows(user, "write", mine),
            remind_form=RemindForm(),
        )
        return ctx


class NoticeFormView(RuledFormView):
    template_name = "notices/object_form.html"

    def get_initial(self) -> dict:
        initial = super().get_initial()
        org = self.requested_org()
        last = Notice.objects.filter(organization=org).order_by("-pk").first() if org else None
        if last is not None:
            initial["prefix"] = last.prefix
        initial["year"] = timezone.localdate().year
        return initial

    def get_form(self, data=None):
        self.object = self.get_object()
        initial = {} if self.object.pk else self.get_initial()
        files = self.request.FILES if data is not None else None
        return self.resource.form(
            data, files, instance=self.object, user=self.request.user, initial=initial
        )

    def perform(self, form):
        notice = super().perform(form)
        upload = form.cleaned_data.get("attachment")
        if upload:
            services.add_file(self.request.user, notice, upload)
        return notice


class NoticeDeleteView(RuledDeleteView):
    pass


class NoticeActionView(ResourceMixin, VerbRequiredMixin, View):
    """POST an action on a notice; a refusal is shown as a message on its page."""

    http_method_names = ["post"]
    op = "write"

    def post(self, request, pk):
        notice = self.resource.policy.get(request.user, pk, self.op, self.resource.queryset())
        if not self.resource.policy.allows(request.user, self.op, notice):
            raise PermissionDenied(_("An issued notice cannot be changed."))
        try:
            with batch(type(self).__name__):
                url = self.perform(notice)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return HttpResponseRedirect(notice.get_absolute_url())
        return HttpResponseRedirect(url)


class IssueView(NoticeActionView):
    def perform(self, notice):
        services.issue(self.request.user, notice)
        notice.refresh_from_db()
        messages.success(self.request, _("Issued %(number)s.") % {"number": notice.doc_number})
        return reverse("notices:notice_receipts", args=[notice.pk])


class RemindView(NoticeActionView):
    op = "remind"

    def perform(self, notice):
        form = RemindForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(list(form.errors.values())[0])
        n = services.remind(
            self.request.user, notice, form.cleaned_data["which"], form.cleaned_data["note"]
        )
        messages.success(self.request, _("Reminded %(n)d organisations.") % {"n": n})
        return reverse("notices:notice_receipts", args=[notice.pk])


class ReceiptsView(ResourceMixin, ObjectListView):
    """Who has read and answered a notice: the issuer's side sees every recipient, a recipient
    its own receipt (the receipts' policy)."""

    template_name = "notices/receipts.html"
    show_tree = False
    per_page = 50

    def get_filterset_class(self):
        return ReceiptFilterSet

    def get_table_class(self):
        return ReceiptTable

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.notice = policy_for(Notice).get(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    @property
    def model(self):
        return Receipt

    def get_queryset(self):
        rows = Receipt.objects.visible_to(self.request.user).filter(notice=self.notice)
        return rows.select_related("organization", "notice").order_by("organization__path")

    def export(self):
        queryset = self.export_queryset()
        if queryset is None:
            messages.error(self.request, _("Correct the filters before exporting."))
            return HttpResponseRedirect(self.request.path)
        title = _("Receipts of %(notice)s") % {"notice": self.notice.doc_number or self.notice}
        headers = [
            _("Recipient unit"),
            _("First read"),
            _("Read by"),
            _("Answered"),
            _("Feedback"),
            _("Figures"),
            _("Reminders"),
        ]
        rows = [
            [
                r.organization.name,
                _local(r.read_at),
                r.read_by_name,
                _local(r.answered_at),
                r.feedback,
                "；".join(f"{k}：{v}" for k, v in (r.figures or {}).items()),
                r.reminders_sent,
            ]
            for r in queryset
        ]
        content = build_workbook([(_("Receipts"), headers, rows)], widths=(30, 18, 12, 18, 60))
        record(
            self.request.user,
            Action.EXPORT,
            self.notice,
            message=_("%(name)s: %(n)d rows") % {"name": title, "n": len(rows)},
        )
        return xlsx_response(str(title), content)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["notice"] = self.notice
        ctx["tally"] = tally(self.notice)
        ctx["can_remind"] = policy_for(Notice).allows(self.request.user, "remind", self.notice)
        ctx["remind_form"] = RemindForm()
        return ctx


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


class FileView(ResourceMixin, VerbRequiredMixin, View):
    """A file of a notice, to whoever reads the notice; a feedback's file, to whoever reads
    that receipt."""

    def get(self, request, pk, file_pk):
        notice = self.resource.policy.get(request.user, pk, "read", self.resource.queryset())
        row = NoticeFile.objects.filter(notice=notice, pk=file_pk).first()
        if row is None:
            raise Http404
        if row.receipt_id is not None:
            policy_for(Receipt).get(request.user, row.receipt_id)
        return file_response(row)


class ReceiptDetailView(ResourceDetailView):
    template_name = "notices/receipt_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["files"] = self.object.files.all()
        ctx["can_answer"] = policy_for(Receipt).allows(self.request.user, "write", self.object)
        return ctx


class FeedbackView(ResourceMixin, ServiceFormView):
    """A recipient files (or files again) its feedback."""

    op = "write"
    template_name = "notices/feedback_form.html"

    def get_receipt(self) -> Receipt:
        user = self.request.user
        receipt = self.resource.policy.get(user, self.kwargs["pk"], "write")
        if not self.resource.policy.allows(user, "write", receipt):
            raise PermissionDenied(_("This notice asks for no feedback."))
        return receipt

    def get_form(self, data=None):
        self.receipt = self.get_receipt()
        initial = {
            "feedback": self.receipt.feedback,
            "figures": "\n".join(f"{k}：{v}" for k, v in (self.receipt.figures or {}).items()),
        }
        return FeedbackForm(data, self.request.FILES or None, initial=initial)

    def perform(self, form):
        data = form.cleaned_data
        return services.file_feedback(
            self.request.user,
            self.receipt,
            data["feedback"],
            data["figures"],
            data.get("attachment"),
        )

    def get_success_url(self, obj):
        return obj.notice.get_absolute_url()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["receipt"] = self.receipt
        ctx["title"] = _("Feedback on %(notice)s") % {"notice": self.receipt.notice}
        ctx["cancel_url"] = self.receipt.notice.get_absolute_url()
        return ctx

    def render_form(self, form, status=200):
        return render(
            self.request, self.template_name, self.get_context_data(form=form), status=status
        )
