from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from guangong.core.resource_views import ResourceFormView, ResourceListView
from guangong.core.resources import policy_for
from guangong.core.views import ServiceFormView, VerbRequiredMixin

from . import services
from .forms import LoginForm, PasswordForm, UserForm
from .models import ApiToken, User


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class UserListView(ResourceListView):
    actions_template = "accounts/list_actions.html"


class UserFormView(ResourceFormView):
    """A new account (``users/new/``), or an account's page (``users/<pk>/``): its form, its
    password and API tokens. An account holding rights the administrator lacks is refused."""

    template_name = "accounts/user_form.html"

    def get_object(self) -> User:
        user = super().get_object()
        if user.pk and not user.verbs <= self.request.user.verbs:
            raise PermissionDenied(_("This account holds rights you do not; you cannot change it."))
        return user

    def get_initial(self) -> dict:
        return {"organization": self.request.user.organization_id, "is_active": True}

    def get_form(self, data=None):
        self.object = self.get_object()
        if self.object.pk:
            return UserForm(data, actor=self.request.user, instance=self.object)
        return UserForm(data, actor=self.request.user, initial=self.get_initial())

    def perform(self, form):
        actor, fields = self.request.user, form.service_fields()
        if self.object.pk:
            return services.update_user(actor, self.object, **fields)
        return services.create_user(actor, password=form.cleaned_data["password1"], **fields)

    def get_success_url(self, obj):
        return reverse("accounts:user_list")

    @property
    def success_message(self):
        if self.object.pk:
            return gettext_lazy("Saved account %(object)s.")
        return gettext_lazy("Created account %(object)s.")

    def get_context_data(self, **kwargs):
        # An account has no page besides this form: its titles and links are its own.
        ctx = super(ResourceFormView, self).get_context_data(**kwargs)
        ctx["cancel_url"] = reverse("accounts:user_list")
        if not self.object.pk:
            ctx["title"] = _("New account")
            return ctx
        ctx.update(
            title=_("Account %(name)s") % {"name": self.object.username},
            password_url=reverse("accounts:user_password", args=[self.object.pk]),
            tokens=self.object.api_tokens.all(),
            token_days=settings.API_TOKEN_DAYS,
        )
        return ctx


class UserPasswordView(ServiceFormView):
    verb = "view"
    success_message = gettext_lazy("Password changed for %(object)s.")

    def get_form(self, data=None):
        pk = self.kwargs.get("pk")
        if pk is None or int(pk) == self.request.user.pk:
            self.object = self.request.user
        else:
            self.object = policy_for(User).get(self.request.user, pk, "read", User.objects.all())
        own = self.object.pk == self.request.user.pk
        return PasswordForm(data, request=self.request, user=self.object, ask_current=own)

    def perform(self, form):
        services.set_password(self.request.user, self.object, form.cleaned_data["password1"])
        if self.object.pk == self.request.user.pk:
            update_session_auth_hash(self.request, self.object)
        return self.object

    def get_success_url(self, obj):
        return reverse("home:home")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            title=_("Change password of %(name)s") % {"name": self.object.username},
            cancel_url=reverse("home:home"),
        )
        return ctx


class ProfileView(VerbRequiredMixin, TemplateView):
    """One's own account: who and where, the password, and the API tokens."""

    verb = "view"
    template_name = "accounts/profile.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx.update(
            account=user,
            tokens=user.api_tokens.all(),
            token_days=settings.API_TOKEN_DAYS,
            password_url=reverse("accounts:password"),
        )
        return ctx


class TokenRevokeView(VerbRequiredMixin, View):
    """Revoke an API token: one's own, or an account's on an administrator's user page.

    A token of an account outside the administrator's subtree is answered like a missing one.
    """

    verb = "view"
    http_method_names = ["post"]

    def post(self, request, pk):
        actor = request.user
        owners = User.objects.visible_to(actor)
        tokens = ApiToken.objects.filter(Q(user=actor) | Q(user__in=owners))
        token = get_object_or_404(tokens, pk=pk)
        services.revoke_token(actor, token)
        messages.success(request, _("Revoked the API token %(name)s.") % {"name": token.name})
        if token.user_id == actor.pk:
            return redirect("accounts:profile")
        return redirect("accounts:user_edit", pk=token.user_id)
