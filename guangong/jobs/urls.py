from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("", views.JobListView.as_view(), name="job_list"),
    path("<uuid:pk>/", views.JobDetailView.as_view(), name="job_detail"),
    path("<uuid:pk>/progress/", views.JobProgressView.as_view(), name="job_progress"),
    path("<uuid:pk>/files/<str:which>/", views.JobFileView.as_view(), name="job_file"),
    path("<uuid:pk>/cancel/", views.JobCancelView.as_view(), name="job_cancel"),
    path("<uuid:pk>/retry/", views.JobRetryView.as_view(), name="job_retry"),
    path("<uuid:pk>/confirm/", views.ImportConfirmView.as_view(), name="import_confirm"),
    path("<uuid:pk>/undo/", views.ImportUndoView.as_view(), name="import_undo"),
]
