"""Writing the planned demo people in bulk, and removing them again."""

from guangong.dicts.models import DictItem, DictKind
from guangong.people.models import Elder, Mentorship, MentorshipVisit, Team, Youth

from .people import PeoplePlanner
from .people_data import DICTIONARY


def dictionary_items() -> dict[tuple[str, str], DictItem]:
    """The items the demo uses by (kind, label); built-in items missing here are made again."""
    items = {(i.kind, i.label): i for i in DictItem.objects.all()}
    for kind, labels in DICTIONARY.items():
        for order, label in enumerate(labels, start=1):
            if (kind, label) not in items:
                item = DictItem(kind=kind, label=label, order=order * 10, seeded=True)
                item.save()
                items[kind, label] = item
    return items


def _bulk(model, objects, batch_size: int) -> None:
    """Bulk insert and make sure every object has its primary key (backends without RETURNING:
    the tables were empty, so the new keys in order are the objects in order)."""
    model.objects.bulk_create(objects, batch_size=batch_size)
    if objects and any(obj.pk is None for obj in objects):  # pragma: no cover - old SQLite
        pks = list(model.objects.order_by("pk").values_list("pk", flat=True))
        for obj, pk in zip(objects, pks[-len(objects) :], strict=True):
            obj.pk = pk


def write(planner: PeoplePlanner, batch_size: int) -> None:
    """Encrypt the ID numbers and insert everything the planner planned."""
    plan = planner.plan
    for person in plan.elders:
        planner.finish(person)
    for person in plan.youth:
        planner.finish(person)
    items = dictionary_items()
    for youth in plan.youth:
        youth.category = items[DictKind.YOUTH_CATEGORY, plan.youth_categories[id(youth)]]
    for team in plan.teams:
        team.kind = items[DictKind.TEAM_KIND, plan.team_kinds[id(team)]]
    _bulk(Elder, plan.elders, batch_size)
    _bulk(Youth, plan.youth, batch_size)
    _bulk(Team, plan.teams, batch_size)
    _bulk(Mentorship, plan.mentorships, batch_size)
    MentorshipVisit.objects.bulk_create(plan.visits, batch_size=batch_size)

    def links(manager, owner: str, target: str, rows, kind: str | None = None):
        through = manager.through
        objs = [
            through(**{f"{owner}_id": a.pk, f"{target}_id": (items[kind, b] if kind else b).pk})
            for a, b in rows
        ]
        through.objects.bulk_create(objs, batch_size=batch_size)

    links(Elder.categories, "elder", "dictitem", plan.elder_categories, DictKind.ELDER_CATEGORY)
    links(Elder.specialities, "elder", "dictitem", plan.elder_specialities, DictKind.SPECIALITY)
    links(Team.members, "team", "elder", plan.team_members)
    links(Mentorship.goals, "mentorship", "dictitem", plan.goals, DictKind.MENTORSHIP_GOAL)
    links(Mentorship.outcomes, "mentorship", "dictitem", plan.outcomes, DictKind.MENTORSHIP_OUTCOME)


def remove_all() -> None:
    """Delete every person, team, mentorship and visit (they cannot outlive the organisations).

    Plain DELETEs, children first: the collector would fetch every row of a large region.
    """
    for model in (
        MentorshipVisit,
        Mentorship.goals.through,
        Mentorship.outcomes.through,
        Mentorship,
        Team.members.through,
        Team,
        Elder.categories.through,
        Elder.specialities.through,
    ):
        qs = model._base_manager.all()
        qs._raw_delete(qs.db)
    for model in (Elder, Youth):  # merged records point at their survivors
        model._base_manager.exclude(merged_into=None).update(merged_into=None)
        qs = model._base_manager.all()
        qs._raw_delete(qs.db)
