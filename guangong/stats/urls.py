from django.urls import path

from guangong.core import resource_views

from . import views

app_name = "stats"

urlpatterns = [
    path("", views.StatisticsView.as_view(), name="statistics"),
    path("completeness/", views.CompletenessView.as_view(), name="completeness"),
    *resource_views.urls("stats"),
]
