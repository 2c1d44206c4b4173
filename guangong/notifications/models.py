"""Messages (消息): a user's inbox, their choice of channels, and the log of every send.

A ``Message`` is the in-app copy of an event for one user; it is made once (``key``: the event,
the thing and the user). Each e-mail or SMS it causes is a ``Delivery`` with its own unique
``key`` (event + recipient + channel): a send queued twice finds the row and sends nothing more.
A ``ResetCode`` is a password reset by SMS: only the hash of the code is stored.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guangong.core.models import DetailPage
from guangong.core.scope import ScopedQuerySet


class Event(models.TextChoices):
    REPORT_RETURNED = "report_returned", _("A report was returned")
    REPORT_APPROVED = "report_approved", _("A report was approved")
    CASE_STEP = "case_step", _("A care case waits for you")
    HELP_REFERRED = "help_referred", _("A help request was referred to you")
    REPORT_DUE = "report_due", _("A report is due in three days")
    JOB_FINISHED = "job_finished", _("An import, export or document finished")
    NOTICE_ISSUED = "notice_issued", _("A notice was sent to your organisation")
    NOTICE_REMINDER = "notice_reminder", _("A reminder to read or answer a notice")
    NOTICE_FEEDBACK_DUE = "notice_feedback_due", _("A notice's feedback is due in three days")
    INFO_ITEM_DECIDED = "info_item_decided", _("An information item was adopted or returned")
    MEETING_INVITATION = "meeting_invitation", _("An invitation to a meeting")
    ACTION_ITEM_ASSIGNED = "action_item_assigned", _("An action item was assigned to you")
    ACTION_ITEM_CLOSURE = "action_item_closure", _("An action item waits for closure")
    ACTION_ITEM_OVERDUE = "action_item_overdue", _("An action item is overdue")


class Channel(models.TextChoices):
    INBOX = "inbox", pgettext_lazy("channel", "In the app")
    EMAIL = "email", pgettext_lazy("channel", "E-mail")
    SMS = "sms", pgettext_lazy("channel", "SMS")


class Message(DetailPage, models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    event = models.CharField(_("kind"), max_length=20, choices=Event.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=2000, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    key = models.CharField(max_length=200, unique=True, editable=False)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    detail_url = "notifications:message_open"

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="message_unread")]

    def __str__(self) -> str:
        return self.title

    @property
    def unread(self) -> bool:
        return self.read_at is None


class Preference(models.Model):
    """The channels a user chose for one kind of event, beyond the inbox (always on)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_preferences"
    )
    event = models.CharField(_("kind"), max_length=20, choices=Event.choices)
    email = models.BooleanField(_("e-mail"), default=False)
    sms = models.BooleanField(_("SMS"), default=False)

    objects = ScopedQuerySet.as_manager()
    audit_fields = ("user", "event", "email", "sms")

    class Meta:
        verbose_name = _("message preference")
        verbose_name_plural = _("message preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="preference_once_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.event}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One e-mail or SMS: to whom (masked), how it went, how many tries."""

    key = models.CharField(max_length=200, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    event = models.CharField(_("kind"), max_length=20)
    message = models.ForeignKey(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    #: The organisation of the recipient (of the help request, for a requester): whose system
    #: administrators read the log.
    org_path = models.CharField(max_length=255, blank=True, db_index=True, editable=False)
    recipient = models.CharField(_("recipient"), max_length=200)  # masked
    address_enc = models.TextField(editable=False)  # the phone or e-mail, encrypted
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("text"), max_length=2000, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("delivery log")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.recipient}"


class ResetCode(models.Model):
    """A password reset code sent by SMS: its hash, when it expires, how often it was tried."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"
