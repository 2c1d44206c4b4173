from django.urls import path

from guangong.core import resource_views

from . import pivot_views, views

app_name = "stats"

urlpatterns = [
    path("", views.StatisticsView.as_view(), name="statistics"),
    path("completeness/", views.CompletenessView.as_view(), name="completeness"),
    path("pivot/", pivot_views.PivotPageView.as_view(), name="pivot"),
    path("distribution/", pivot_views.DistributionPageView.as_view(), name="distribution"),
    *resource_views.urls("stats"),
]
