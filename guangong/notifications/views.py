"""消息: the inbox, opening a message, marking read, the channels page, the delivery log."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from guangong.core.masking import shown_phone
from guangong.core.resource_views import ResourceListView
from guangong.core.resources import policy_for

from . import inbox, services
from .models import Event, Message, Preference
from .sending import masked


class InboxView(TemplateView):
    """The user's messages, newest first, the unread ones marked."""

    template_name = "notifications/inbox.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        rows = inbox.mine(self.request.user).order_by("-created_at", "-pk")
        if self.request.GET.get("unread") == "1":
            rows = rows.filter(read_at=None)
        page = Paginator(rows, 30).get_page(self.request.GET.get("page"))
        ctx.update(page=page, unread=inbox.unread_count(self.request.user))
        ctx["only_unread"] = self.request.GET.get("unread") == "1"
        return ctx


class MessageOpenView(View):
    """One tap on a message: it is marked read and its thing opens (the inbox when it has no
    link). Anyone else's message: 404."""

    def get(self, request, pk):
        message = policy_for(Message).get(request.user, pk, "read")
        return render(request, "notifications/message.html", {"message": message})

    def post(self, request, pk):
        message = inbox.mark_read(request.user, policy_for(Message).get(request.user, pk, "write"))
        url = message.url
        if not url or not url_has_allowed_host_and_scheme(url, allowed_hosts=None):
            url = reverse("notifications:inbox")
        return HttpResponseRedirect(url)


class MarkAllReadView(View):
    def post(self, request):
        changed = inbox.mark_all_read(request.user)
        if changed:
            messages.success(request, _("All messages marked read."))
        return HttpResponseRedirect(reverse("notifications:inbox"))


class PreferencesView(View):
    """Which channels, beyond the inbox, each kind of message goes to."""

    template_name = "notifications/preferences.html"

    def context(self, user, errors=()):
        stored = {
            p.event: p
            for p in policy_for(Preference).instances(user, "read", Preference.objects.all())
        }
        rows = [
            {
                "event": value,
                "label": label,
                "email": bool(stored.get(value) and stored[value].email),
                "sms": bool(stored.get(value) and stored[value].sms),
            }
            for value, label in Event.choices
        ]
        return {
            "rows": rows,
            "email": masked("email", user.email) if user.email else "",
            "phone": shown_phone(None, user.phone) if user.phone else "",
            "errors": errors,
        }

    def get(self, request):
        return render(request, self.template_name, self.context(request.user))

    def post(self, request):
        choices = {
            value: {
                "email": request.POST.get(f"{value}-email") == "on",
                "sms": request.POST.get(f"{value}-sms") == "on",
            }
            for value in Event.values
        }
        try:
            services.save_preferences(request.user, choices)
        except ValidationError as exc:
            ctx = self.context(request.user, errors=exc.messages)
            return render(request, self.template_name, ctx, status=400)
        messages.success(request, _("Your choices are saved."))
        return HttpResponseRedirect(reverse("notifications:preferences"))


class DeliveryLogView(ResourceListView):
    """Every e-mail and SMS sent or tried, the recipient masked: for system administrators."""

    export_name = None

    def get_queryset(self):
        return super().get_queryset().order_by("-created_at", "-pk")
