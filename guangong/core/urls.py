from django.http import JsonResponse
from django.urls import path

from . import views_home

app_name = "core"


def healthz(request):
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("", views_home.HomeView.as_view(), name="home"),
    path("healthz", healthz, name="healthz"),
]
