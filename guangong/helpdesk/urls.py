"""The care workers' pages of the help desk under /helpdesk/ (login required)."""

from django.urls import path

from . import views

app_name = "helpdesk"

urlpatterns = [
    path("", views.QueueView.as_view(), name="request_list"),
    path("<int:pk>/", views.RequestDetailView.as_view(), name="request_detail"),
    path("<int:pk>/reply/", views.ReplyView.as_view(), name="request_reply"),
    path("<int:pk>/refer/", views.ReferView.as_view(), name="request_refer"),
    path("<int:pk>/close/", views.CloseView.as_view(), name="request_close"),
    path("<int:pk>/take/", views.TakeView.as_view(), name="request_take"),
    path("<int:pk>/reveal/", views.RevealPhoneView.as_view(), name="request_reveal"),
    path("<int:pk>/convert/", views.ConvertView.as_view(), name="request_convert"),
]
