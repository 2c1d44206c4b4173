from django.urls import path

from guangong.core import resource_views
from guangong.core.resources import resource_for
from guangong.jobs.views import import_urls

from . import duplicates
from .importers import ElderImporter, YouthImporter
from .models import Elder, Mentorship, Youth
from .team_import import TeamMemberImporter
from .views import lookups, mentorships

app_name = "people"

urlpatterns = [
    *resource_views.urls("people"),
    *import_urls(app_name, "elder", ElderImporter, "elders"),
    *import_urls(app_name, "youth", YouthImporter, "youth"),
    *import_urls(app_name, "team_member", TeamMemberImporter, "teams/members"),
    # Elders (五老) and young people: look-ups, pickers and reveals
    path("elders/find/", lookups.FindByIdNumberView.as_view(model=Elder), name="elder_find"),
    path("elders/choices/", lookups.ElderChoicesView.as_view(), name="elder_choices"),
    *resource_views.row_urls(resource_for(Elder), {"reveal": lookups.RevealView}),
    path("youth/find/", lookups.FindByIdNumberView.as_view(model=Youth), name="youth_find"),
    path("youth/choices/", lookups.YouthChoicesView.as_view(), name="youth_choices"),
    *resource_views.row_urls(resource_for(Youth), {"reveal": lookups.RevealView}),
    # Mentorships (结对帮带): their end and visits
    *resource_views.row_urls(resource_for(Mentorship), {"end": mentorships.MentorshipEndView}),
    path(
        "mentorships/<int:pk>/visits/new/",
        mentorships.VisitAddView.as_view(resource=resource_for(Mentorship)),
        name="mentorship_visit_add",
    ),
    # Possible duplicates and merging (administrators)
    path("duplicates/", duplicates.DuplicatesView.as_view(), name="duplicates"),
    path("duplicates/merge/", duplicates.MergeView.as_view(), name="merge"),
    path("duplicates/dismiss/", duplicates.DismissView.as_view(), name="dismiss_duplicate"),
    path("duplicates/dismissed/", duplicates.DismissedView.as_view(), name="dismissed_duplicates"),
    path(
        "duplicates/restore/",
        duplicates.DismissView.as_view(restore=True),
        name="restore_duplicate",
    ),
]
