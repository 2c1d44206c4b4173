"""Background jobs: long work (imports, undo) run by the task worker, with their progress."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guangong.core.models import DetailPage
from guangong.core.scope import ScopedQuerySet


class Status(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    #: The worker running it stopped (killed, restarted, machine down) before it ended.
    INTERRUPTED = "interrupted", _("Interrupted")


#: States a job does not leave by itself (an interrupted one waits for a retry or a cancel).
FINISHED = (Status.SUCCEEDED, Status.FAILED, Status.CANCELLED, Status.INTERRUPTED)


def job_file_path(job: "Job", filename: str) -> str:
    """Files of a job live together under MEDIA_ROOT/jobs/<job id>/."""
    return f"jobs/{job.pk.hex}/{filename}"


class JobQuerySet(ScopedQuerySet):
    """Scope: ``jobs.resources`` (one's own jobs; administrators those of their subtree)."""


class Job(DetailPage, models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="jobs",
    )
    # The user's organisation when the job was started: administrators above it see the job.
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="jobs",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=64)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveIntegerField(_("progress"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    #: Last sign of life of the worker running the job (``services.Heartbeat``).
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    #: When the job was last handed to the task queue (``runner.enqueue``).
    enqueued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    #: How many times it was started (a retry after an interruption adds one).
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    input_file = models.FileField(
        _("uploaded file"), upload_to=job_file_path, max_length=255, blank=True
    )
    result_file = models.FileField(
        _("result file"), upload_to=job_file_path, max_length=255, blank=True
    )
    #: What the job was asked to do (mode, file name, language, request context…).
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    #: What it found or did (counts, errors, batch id…).
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    objects = JobQuerySet.as_manager()

    detail_url = "jobs:job_detail"

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="job_user_created"),
            models.Index(fields=["status", "created_at"], name="job_status_created"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def label(self) -> str:
        from . import registry

        return registry.label(self)
