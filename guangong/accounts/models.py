import hashlib

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guangong.core.scope import ScopedQuerySet
from guangong.core.validators import validate_phone

from .roles import Role, verbs_for


class UserQuerySet(ScopedQuerySet):
    """Scope: ``accounts.resources`` (reading the user list is an administrator's job)."""

    def with_verbs(self, verbs):
        """Users whose role (with its flags) grants every one of ``verbs``."""
        from .roles import ROLE_VERBS, Verb

        q = models.Q()
        for role, granted in ROLE_VERBS.items():
            missing = set(verbs) - granted
            if missing <= {Verb.REVEAL, Verb.CARE}:
                extra = {
                    f"can_{'reveal' if v == Verb.REVEAL else 'handle_cases'}": True for v in missing
                }
                q |= models.Q(role=role, **extra)
        return self.filter(q) if q else self.none()


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """An account. It belongs to one organisation; its role grants verbs within that subtree."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    can_reveal = models.BooleanField(
        _("may reveal sensitive fields"),
        default=False,
        help_text=_("Every reveal is written to the audit log."),
    )
    can_handle_cases = models.BooleanField(
        _("may work on care cases"),
        default=False,
        help_text=_(
            "Care cases hold children's data: only care workers and these users open them."
        ),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    is_demo = models.BooleanField(_("demo account"), default=False, editable=False)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def verbs(self) -> frozenset[str]:
        if not self.is_active:
            return frozenset()
        if self.is_superuser:
            return verbs_for(Role.SYSTEM_ADMIN, can_reveal=True, can_handle_cases=True)
        return verbs_for(self.role, self.can_reveal, self.can_handle_cases)

    def has_verb(self, verb: str) -> bool:
        return verb in self.verbs

    @property
    def scope_path(self) -> str | None:
        from guangong.core.scope import scope_path

        return scope_path(self)


class ApiToken(models.Model):
    """A key to the REST API, sent as ``Authorization: Token <key>``.

    Only a hash of the key is stored (the key is shown once, when issued); a token expires
    ``API_TOKEN_DAYS`` after it was issued and goes with every password change.
    """

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=50)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("issued"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    audit_fields = ("name", "created_at", "expires_at", "last_used_at")

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def hash_key(key: str) -> str:
        # The key is 160 random bits: a plain digest is as good as a slow password hash here.
        return hashlib.sha256(key.encode("utf-8")).hexdigest()

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()
