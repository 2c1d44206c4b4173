"""忘记密码 by SMS: public pages (under /accounts/login/, which needs no login)."""

from django.urls import path

from . import reset

app_name = "sms_reset"

urlpatterns = [
    path("", reset.AskCodeView.as_view(), name="ask"),
    path("code/", reset.EnterCodeView.as_view(), name="code"),
]
