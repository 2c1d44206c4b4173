"""The public help desk under /help/ (no account; exempt from the login requirement)."""

from django.urls import path

from . import public

app_name = "help"

urlpatterns = [
    path("", public.RequestFormView.as_view(), name="form"),
    path("done/", public.DoneView.as_view(), name="done"),
    path("places/", public.PlacesView.as_view(), name="places"),
    path("status/", public.StatusView.as_view(), name="status"),
]
