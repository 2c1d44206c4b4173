from django.urls import path

from guangong.jobs.views import ImportStartView, ImportTemplateView

from . import duplicates
from .importers import ElderImporter, TeamMemberImporter, YouthImporter
from .models import Elder, Youth
from .views import editing, lookups, mentorships, pages


def _import_urls(prefix: str, name: str, importer_class) -> list:
    """The import page and the template download of one importer."""
    return [
        path(
            f"{prefix}/import/",
            ImportStartView.as_view(
                importer_class=importer_class, template_url_name=f"people:{name}_import_template"
            ),
            name=f"{name}_import",
        ),
        path(
            f"{prefix}/import/template/",
            ImportTemplateView.as_view(importer_class=importer_class),
            name=f"{name}_import_template",
        ),
    ]


app_name = "people"

urlpatterns = [
    # Elders (五老)
    path("elders/", pages.ElderListView.as_view(), name="elder_list"),
    *_import_urls("elders", "elder", ElderImporter),
    *_import_urls("youth", "youth", YouthImporter),
    *_import_urls("teams/members", "team_member", TeamMemberImporter),
    path("elders/find/", lookups.FindByIdNumberView.as_view(model=Elder), name="elder_find"),
    path("elders/new/", editing.ElderFormView.as_view(), name="elder_add"),
    path("elders/choices/", lookups.ElderChoicesView.as_view(), name="elder_choices"),
    path("elders/<int:pk>/", pages.ElderDetailView.as_view(), name="elder_detail"),
    path("elders/<int:pk>/edit/", editing.ElderFormView.as_view(), name="elder_edit"),
    path("elders/<int:pk>/delete/", editing.ElderDeleteView.as_view(), name="elder_delete"),
    path("elders/<int:pk>/reveal/", lookups.RevealView.as_view(model=Elder), name="elder_reveal"),
    # Young people
    path("youth/", pages.YouthListView.as_view(), name="youth_list"),
    path("youth/find/", lookups.FindByIdNumberView.as_view(model=Youth), name="youth_find"),
    path("youth/new/", editing.YouthFormView.as_view(), name="youth_add"),
    path("youth/choices/", lookups.YouthChoicesView.as_view(), name="youth_choices"),
    path("youth/<int:pk>/", pages.YouthDetailView.as_view(), name="youth_detail"),
    path("youth/<int:pk>/edit/", editing.YouthFormView.as_view(), name="youth_edit"),
    path("youth/<int:pk>/delete/", editing.YouthDeleteView.as_view(), name="youth_delete"),
    path("youth/<int:pk>/reveal/", lookups.RevealView.as_view(model=Youth), name="youth_reveal"),
    # Teams
    path("teams/", pages.TeamListView.as_view(), name="team_list"),
    path("teams/new/", editing.TeamFormView.as_view(), name="team_add"),
    path("teams/<int:pk>/", pages.TeamDetailView.as_view(), name="team_detail"),
    path("teams/<int:pk>/edit/", editing.TeamFormView.as_view(), name="team_edit"),
    path("teams/<int:pk>/delete/", editing.TeamDeleteView.as_view(), name="team_delete"),
    # Mentorships (结对帮带)
    path("mentorships/", mentorships.MentorshipListView.as_view(), name="mentorship_list"),
    path("mentorships/new/", mentorships.MentorshipFormView.as_view(), name="mentorship_add"),
    path(
        "mentorships/<int:pk>/",
        mentorships.MentorshipDetailView.as_view(),
        name="mentorship_detail",
    ),
    path(
        "mentorships/<int:pk>/edit/",
        mentorships.MentorshipFormView.as_view(),
        name="mentorship_edit",
    ),
    path(
        "mentorships/<int:pk>/delete/",
        mentorships.MentorshipDeleteView.as_view(),
        name="mentorship_delete",
    ),
    path(
        "mentorships/<int:pk>/end/",
        mentorships.MentorshipEndView.as_view(),
        name="mentorship_end",
    ),
    path(
        "mentorships/<int:pk>/visits/new/",
        mentorships.VisitAddView.as_view(),
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
