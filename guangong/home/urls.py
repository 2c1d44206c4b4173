from django.urls import path

from . import views

app_name = "home"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("todo/", views.TodoView.as_view(), name="todo"),
    path("todo/next-report/", views.NextReportView.as_view(), name="next_report"),
]
