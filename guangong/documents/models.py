"""Generated documents: bulletins (工作简报), work summaries (工作总结), their templates and the
files issued from them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guangong.core.models import DetailPage, Timestamped
from guangong.core.scope import ScopedQuerySet, ancestor_paths


class DocumentKind(models.TextChoices):
    BULLETIN = "bulletin", _("Work bulletin")
    SUMMARY = "summary", _("Work summary")


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")


class Bulletin(DetailPage, Timestamped):
    """One issue of an organisation's bulletin: 第N期 (总第M期).

    ``sections`` is a list of ``{"heading": "【工作动态】", "paragraphs": [...],
    "activities": [ids]}``: paragraphs written by staff or generated from the statistics,
    and activities shown with their title, date, summary and one photo.
    """

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="bulletins",
    )
    name = models.CharField(_("bulletin name"), max_length=60)
    year = models.PositiveSmallIntegerField(_("year"))
    issue_no = models.PositiveIntegerField(_("issue"))
    cumulative_no = models.PositiveIntegerField(_("cumulative issue"))
    date = models.DateField(_("date"))
    title = models.CharField(_("headline"), max_length=200)
    sections = models.JSONField(_("sections"), default=list, blank=True)
    report_to = models.CharField(_("报 (reported to)"), max_length=300, blank=True)
    send_to = models.CharField(_("送 (sent to)"), max_length=300, blank=True)
    issue_to = models.CharField(_("发 (issued to)"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    audit_fields = (
        "organization",
        "name",
        "year",
        "issue_no",
        "cumulative_no",
        "date",
        "title",
        "status",
    )

    detail_url = "documents:bulletin_detail"

    class Meta:
        verbose_name = _("work bulletin")
        verbose_name_plural = _("work bulletins")
        ordering = ["-year", "-issue_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "issue_no"], name="bulletin_unique_issue"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}年第{self.issue_no}期"


class WorkSummary(DetailPage, Timestamped):
    """A work summary of a subtree for a period: drafted from the data, edited by staff."""

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="work_summaries",
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    title = models.CharField(_("title"), max_length=200)
    sections = models.JSONField(_("sections"), default=list, blank=True)
    figures = models.JSONField(_("figures drafted from"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    audit_fields = ("organization", "period_start", "period_end", "title", "status")

    detail_url = "documents:summary_detail"

    class Meta:
        verbose_name = _("work summary")
        verbose_name_plural = _("work summaries")
        ordering = ["-period_end", "-id"]

    def __str__(self) -> str:
        return self.title


def template_path(instance, filename: str) -> str:
    return f"documents/templates/{instance.kind}/{filename}"


class TemplateQuerySet(ScopedQuerySet):
    """Scope: ``documents.resources`` (administrators, in their subtree)."""

    def in_effect(self, kind: str, org) -> "DocumentTemplate | None":
        """The template ``org``'s documents of ``kind`` are filled into: the active one owned
        by ``org`` or, failing that, by its nearest ancestor (None: the shipped one)."""
        if org is None:
            return None
        return (
            self.filter(kind=kind, active=True, owner__path__in=ancestor_paths(org.path))
            .select_related("owner")
            .order_by("-owner__depth", "-created_at")
            .first()
        )


class DocumentTemplate(models.Model):
    """A replacement .docx template (docxtpl/Jinja, filled in a sandbox) of one organisation:
    its active template of a kind serves its documents and those of its subtree, unless an
    organisation nearer has one of its own."""

    owner = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="document_templates",
    )
    kind = models.CharField(_("for"), max_length=10, choices=DocumentKind.choices)
    name = models.CharField(_("name"), max_length=100)
    file = models.FileField(_("file"), upload_to=template_path, max_length=255)
    active = models.BooleanField(_("in use"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = TemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        ordering = ["kind", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "kind"],
                condition=models.Q(active=True),
                name="document_template_one_active",
            )
        ]

    def __str__(self) -> str:
        return self.name


class GeneratedQuerySet(ScopedQuerySet):
    pass


class GeneratedDocument(models.Model):
    """A file produced from a bulletin or summary, kept so it can be downloaded again."""

    class Format(models.TextChoices):
        DOCX = "docx", "Word (.docx)"
        PDF = "pdf", "PDF"

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="generated_documents"
    )
    kind = models.CharField(_("document"), max_length=10, choices=DocumentKind.choices)
    bulletin = models.ForeignKey(
        Bulletin, on_delete=models.CASCADE, null=True, blank=True, related_name="files"
    )
    summary = models.ForeignKey(
        WorkSummary, on_delete=models.CASCADE, null=True, blank=True, related_name="files"
    )
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    label = models.CharField(_("name"), max_length=200)
    file = models.FileField(_("file"), upload_to="documents/generated/%Y/%m/", max_length=255)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("generated"), auto_now_add=True)

    objects = GeneratedQuerySet.as_manager()

    class Meta:
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.label
