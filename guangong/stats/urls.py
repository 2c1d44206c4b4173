from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("", views.StatisticsView.as_view(), name="statistics"),
    path("completeness/", views.CompletenessView.as_view(), name="completeness"),
]
