from django.urls import path

from guangong.core import resource_views

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.InboxView.as_view(), name="inbox"),
    path("<int:pk>/", views.MessageOpenView.as_view(), name="message_open"),
    path("read-all/", views.MarkAllReadView.as_view(), name="read_all"),
    path("preferences/", views.PreferencesView.as_view(), name="preferences"),
    # The delivery log (``notifications.resources``).
    *resource_views.urls("notifications"),
]
