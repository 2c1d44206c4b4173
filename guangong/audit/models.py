from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guangong.core.scope import ScopedQuerySet

from .masking import mask_values, model_of


class Action(models.TextChoices):
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    DELETE = "delete", _("Delete")
    MOVE = "move", _("Move")
    LOGIN = "login", _("Log in")
    LOGOUT = "logout", _("Log out")
    LOGIN_FAILED = "login_failed", _("Failed login")
    REVEAL = "reveal", _("Reveal sensitive field")
    EXPORT = "export", _("Export")
    PASSWORD = "password", _("Password change")
    TOKEN = "token", _("API token issued")
    DUPLICATE_PROBE = "duplicate_probe", _("Duplicate check hit")


class AuditQuerySet(ScopedQuerySet):
    """Scope: ``audit.resources`` (auditors read the log of their subtree)."""


class AuditLog(models.Model):
    """One audited event. Rows are only ever inserted."""

    time = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request ID"), max_length=64, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    parent_type = models.CharField(_("parent type"), max_length=100, blank=True)
    parent_id = models.CharField(_("parent id"), max_length=64, blank=True)
    parent_repr = models.CharField(_("parent"), max_length=200, blank=True)
    # Path of the organisation the event belongs to: admins read the log of their subtree.
    org_path = models.CharField(max_length=255, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        ordering = ["-time", "-id"]
        # Plain b-trees: subtrees are path ranges (core.scope), actions are matched exactly;
        # db_index would add a pattern-ops twin of each on PostgreSQL, written and never read.
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["action"], name="audit_action"),
            models.Index(fields=["org_path"], name="audit_org_path"),
        ]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M:%S} {self.username} {self.action} {self.object_repr}"

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field that differs, in the model's field order.

        PostgreSQL's jsonb does not keep key order, so the order comes from the model's
        ``audit_fields`` (or its field list), and unknown keys follow alphabetically. Values
        are shown masked (``audit.masking``) even if a row was written around ``record``.
        """
        model = self._model()
        before = mask_values(model, self.before or {})
        after = mask_values(model, self.after or {})
        keys = set(before) | set(after)
        order = {name: i for i, name in enumerate(self._field_order())}
        ordered = sorted(keys, key=lambda k: (order.get(k, len(order)), k))
        return [(k, before.get(k), after.get(k)) for k in ordered if before.get(k) != after.get(k)]

    def _model(self):
        return model_of(self.object_type, apps) if self.object_type else None

    def _field_order(self) -> tuple[str, ...]:
        model = self._model()
        if model is None:
            return ()
        return getattr(model, "audit_fields", None) or tuple(
            f.name for f in model._meta.concrete_fields
        )
