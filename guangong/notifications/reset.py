"""The pages of 忘记密码 by SMS (services: ``send_reset_code``, ``reset_password``).

Where SMS is not configured (``PASSWORD_RESET_BY_SMS`` off) the page says who resets a
password instead. Asking for a code is limited per address and per account name
(``SMS_RESET_LIMIT`` an hour); the answer is the same whether the account exists or not.
"""

import hashlib
import time

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from guangong.core.middleware import client_ip

from . import services


class AskForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("User name"), max_length=150)


class CodeForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("User name"), max_length=150)
    code = forms.CharField(label=gettext_lazy("Code from the SMS"), max_length=6, min_length=6)
    password = forms.CharField(
        label=gettext_lazy("New password"), widget=forms.PasswordInput, max_length=128
    )
    password2 = forms.CharField(
        label=gettext_lazy("New password again"), widget=forms.PasswordInput, max_length=128
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


def allowed(kind: str, ident: str) -> bool:
    """Count one request of ``kind`` for ``ident``; False past ``SMS_RESET_LIMIT`` an hour."""
    window = int(time.time() // 3600)
    digest = hashlib.sha256((ident or "-").lower().encode()).hexdigest()[:32]
    key = f"sms-reset:{kind}:{digest}:{window}"
    cache.add(key, 0, timeout=3605)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.add(key, 1, timeout=3605)
        count = 1
    return count <= settings.SMS_RESET_LIMIT


class AskCodeView(View):
    template_name = "notifications/reset_ask.html"

    def get(self, request):
        return render(request, self.template_name, {"form": AskForm(), "enabled": enabled()})

    def post(self, request):
        if not enabled():
            return render(request, self.template_name, {"enabled": False}, status=404)
        form = AskForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "enabled": True}, status=400)
        username = form.cleaned_data["username"]
        if not (allowed("ip", client_ip(request) or "") and allowed("user", username)):
            form.add_error(None, _("Too many requests. Please try again in an hour."))
            return render(request, self.template_name, {"form": form, "enabled": True}, status=429)
        services.send_reset_code(None, username)
        messages.info(
            request,
            _(
                "If the account has a mobile phone, a code has been sent to it. "
                "It is valid for %(n)d minutes."
            )
            % {"n": settings.SMS_RESET_MINUTES},
        )
        return HttpResponseRedirect(f"{reverse('sms_reset:code')}?u={username}")


class EnterCodeView(View):
    template_name = "notifications/reset_code.html"

    def get(self, request):
        if not enabled():
            return HttpResponseRedirect(reverse("sms_reset:ask"))
        form = CodeForm(initial={"username": request.GET.get("u", "")[:150]})
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        if not enabled():
            return HttpResponseRedirect(reverse("sms_reset:ask"))
        form = CodeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                done = services.reset_password(
                    None, data["username"], data["code"], data["password"]
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                if done:
                    messages.success(request, _("Your password is changed. Log in with it."))
                    return HttpResponseRedirect(reverse("accounts:login"))
                form.add_error("code", _("The code is wrong or has expired. Ask for a new one."))
        return render(request, self.template_name, {"form": form}, status=400)


def enabled() -> bool:
    return settings.PASSWORD_RESET_BY_SMS
