"""People's resources (``core.resources``): elders and young people (declared alike by
``person``), teams, mentorships and their visits.

Every row belongs to its organisation's subtree (the default policy); merging two records of a
person and marking two as different people (``merge``) is an administrator's decision
(``manage_users``). A person's ``related`` fields are its many-to-many ones, which the person
views and viewset hand to ``save_person`` with the ID number.
"""

from django.utils.translation import gettext_lazy as _

from guangong.core import menu
from guangong.core.menu import MenuItem
from guangong.core.policy import Policy
from guangong.core.resources import PAGES, Resource, register

from . import filters, forms, serializers, tables
from .api import MentorshipViewSet, PersonViewSet
from .models import Elder, Mentorship, MentorshipVisit, Team, Youth
from .services import mentorships, persons, teams
from .views import editing, pages
from .views import mentorships as mentorship_views

PERSON_POLICY = Policy(verbs={"merge": ("manage_users",)})


def declare(model, *, prefix: str, classes: tuple, **options):
    """Register one of people's resources: every page, and the API, under ``prefix``.
    ``classes``: its filterset, table, form and serializer."""
    filterset, table, form, serializer = classes
    register(
        Resource(
            model,
            prefix=prefix,
            filterset=filterset,
            table=table,
            form=form,
            serializer=serializer,
            pages=PAGES,
            api=prefix,
            **options,
        )
    )


def person(model, *, prefix: str, noun: str, classes: tuple, related=(), select_related=()):
    """Declare elders or young people: the same pages, views, viewset and actions.
    ``classes``: the kind's filterset, table, form, serializer and detail view."""
    declare(
        model,
        prefix=prefix,
        classes=classes[:4],
        policy=PERSON_POLICY,
        save=persons.save_person,
        delete=persons.delete_person,
        related=related,
        views={
            "list": pages.PersonListView,
            "detail": classes[4],
            "add": editing.PersonFormView,
            "edit": editing.PersonFormView,
        },
        api_viewset=PersonViewSet,
        api_noun=noun,
        api_summaries={
            "reveal": "Reveal the full ID number (audited; needs the reveal verb)",
            "find_by_id_number": "Find a current record in scope by full ID number "
            "(audited; needs reveal)",
        },
        select_related=("organization", *select_related),
        prefetch_related=related,
    )


person(
    Elder,
    prefix="elders",
    noun="five-elders volunteer",
    classes=(
        filters.ElderFilterSet,
        tables.ElderTable,
        forms.ElderForm,
        serializers.ElderSerializer,
        pages.ElderDetailView,
    ),
    related=("categories", "specialities"),
)
person(
    Youth,
    prefix="youth",
    noun="young person",
    classes=(
        filters.YouthFilterSet,
        tables.YouthTable,
        forms.YouthForm,
        serializers.YouthSerializer,
        pages.YouthDetailView,
    ),
    select_related=("category",),
)
declare(
    Team,
    prefix="teams",
    classes=(filters.TeamFilterSet, tables.TeamTable, forms.TeamForm, serializers.TeamSerializer),
    save=teams.save_team,
    delete=teams.delete_team,
    related=("members",),
    views={"list": pages.TeamListView, "detail": pages.TeamDetailView},
    api_noun="team",
    select_related=("organization", "kind"),
    prefetch_related=("members",),
)
declare(
    Mentorship,
    prefix="mentorships",
    classes=(
        filters.MentorshipFilterSet,
        tables.MentorshipTable,
        forms.MentorshipForm,
        serializers.MentorshipSerializer,
    ),
    save=mentorships.save_mentorship,
    delete=mentorships.delete_mentorship,
    related=("goals", "outcomes"),
    views={
        "list": mentorship_views.MentorshipListView,
        "detail": mentorship_views.MentorshipDetailView,
        "add": mentorship_views.MentorshipFormView,
        "edit": mentorship_views.MentorshipFormView,
    },
    api_viewset=MentorshipViewSet,
    api_noun="mentorship",
    api_summaries={"add_visit": "Record a visit of a mentorship"},
    select_related=("organization", "elder", "youth"),
    prefetch_related=("goals", "outcomes", "visits"),
)
# A visit belongs to its mentorship's organisation.
register(Resource(MentorshipVisit, policy=Policy(owner="mentorship__organization__path")))

menu.register(MenuItem("people:elder_list", _("Elders"), order=40))
menu.register(MenuItem("people:youth_list", _("Young people"), order=85, group=menu.CARE))
menu.register(MenuItem("people:team_list", _("Teams"), order=60))
menu.register(MenuItem("people:mentorship_list", _("Mentorships"), order=86, group=menu.CARE))
