from django.urls import path

from . import views_home

app_name = "core"

# /healthz and /readyz are answered by core.middleware.HealthProbeMiddleware (core.health).
urlpatterns = [
    path("", views_home.HomeView.as_view(), name="home"),
]
