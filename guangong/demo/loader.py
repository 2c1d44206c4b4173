"""Writing the planned demo region to the database, and removing it again."""

import datetime
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.deletion import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from guangong.activities import ranges
from guangong.activities.models import ActivityRange
from guangong.audit.services import Action, record
from guangong.core.actions import batch
from guangong.orgs import rollup
from guangong.orgs.models import Organization, Position

from . import (
    activities,
    cases,
    helpdesk,
    meetings,
    notices,
    org_groups,
    people,
    people_store,
    populations,
    reports,
    workplans,
)
from .accounts import DemoAccountError, create_accounts
from .builder import Planner
from .profiles import PROFILES

BATCH_SIZE = 2000


class DemoError(Exception):
    """The demo region cannot be loaded or removed; the message says why."""


@dataclass
class LoadResult:
    scale: str
    seed: int
    organizations: int
    positions: int
    elders: int
    youth: int
    teams: int
    mentorships: int
    visits: int
    activities: int
    users: list
    root: Organization
    seconds: float
    cases: int = 0


def activities_summary(count) -> str:
    return _("Activities: %(n)s over the last two years.") % {"n": count}


def people_summary(elders, youth, teams, mentorships) -> str:
    return _(
        "People: %(elders)s five-elders volunteers, %(youth)s young people, %(teams)s teams, "
        "%(mentorships)s mentorships."
    ) % {"elders": elders, "youth": youth, "teams": teams, "mentorships": mentorships}


def has_data() -> bool:
    return Organization.objects.exists()


def remove_all() -> int:
    """Delete the people, the leadership rosters, the demo accounts and every organisation.

    Refuses while real (non-demo) accounts belong to organisations, rather than detach them.
    Returns the number of organisations deleted.
    """
    User = get_user_model()
    attached = list(
        User.objects.filter(is_demo=False, organization__isnull=False).values_list(
            "username", flat=True
        )[:10]
    )
    if attached:
        raise DemoError(
            _("These accounts belong to organisations and would be left without one: %(names)s.")
            % {"names": ", ".join(attached)}
        )
    count = Organization.objects.count()
    workplans.remove_all()  # before the member units its tasks name
    helpdesk.remove_all()
    notices.remove_all()
    meetings.remove_all()
    reports.remove_all()
    cases.remove_all()
    populations.remove_all()
    org_groups.remove_all()
    activities.remove_all()
    people_store.remove_all()
    Position.objects.all().delete()
    User.objects.filter(is_demo=True).delete()
    try:
        Organization.objects.all().delete()
    except ProtectedError as exc:
        labels = sorted({obj._meta.verbose_name_plural for obj in exc.protected_objects})
        raise DemoError(
            _("Other records still refer to organisations: %(what)s.")
            % {"what": ", ".join(str(label) for label in labels)}
        ) from exc
    return count


def load(
    scale: str, seed: int, *, reset: bool = False, today: datetime.date | None = None
) -> LoadResult:
    """Build the demo region for ``scale`` and ``seed`` in one transaction.

    With ``reset``, whatever is there is removed first; without it, existing organisations
    make this refuse.
    """
    if scale not in PROFILES:
        raise DemoError(_("Unknown scale %(scale)s.") % {"scale": scale})
    started = time.perf_counter()
    with batch("demo"):  # the services' actions it runs join this one unit
        removed = 0
        if reset:
            removed = remove_all()
        elif has_data():
            raise DemoError(_("Organisations already exist; use --reset to replace them."))
        today = today or timezone.localdate()
        planner = Planner(PROFILES[scale], seed, today=today)
        plan = planner.build()
        Organization.objects.bulk_create(plan.organizations, batch_size=BATCH_SIZE)
        if any(org.pk is None for org in plan.organizations):  # backends without RETURNING
            ids = dict(Organization.objects.values_list("path", "pk"))
            for org in plan.organizations:
                org.pk = ids[org.path]
        Position.objects.bulk_create(plan.positions, batch_size=BATCH_SIZE)
        folk = people.PeoplePlanner(
            PROFILES[scale],
            seed,
            plan.organizations,
            today=planner.today,
            max_active=settings.MAX_ACTIVE_MENTEES,
        )
        crowd = folk.build()
        people_store.write(folk, BATCH_SIZE)
        rollup.rebuild()
        populations.write(plan.organizations, seed, planner.today)
        org_groups.write(plan.organizations, seed)
        types, audiences = activities.lookups()
        ledger = activities.ActivityPlanner(
            PROFILES[scale],
            seed,
            plan.organizations,
            crowd.elders,
            crowd.teams,
            today=today,
            types=types,
            audiences=audiences,
        ).build()
        activities.write(ledger, BATCH_SIZE)
        # The demo's plausible ranges come from its own distribution (audited with the load).
        rows = ranges.computed_rows()
        ActivityRange.objects.filter(computed=True).delete()
        ActivityRange.objects.bulk_create(rows)
        try:
            users = create_accounts(plan.anchors, planner.fake)
        except DemoAccountError as exc:
            raise DemoError(
                _("These usernames are taken by accounts that are not demo accounts: %(names)s.")
                % {"names": str(exc)}
            ) from exc
        case_count = cases.build(plan.anchors, users, seed, planner.today)
        helpdesk.load(plan.anchors, users, seed)
        notices.write(plan.anchors, seed, planner.today)
        meetings.write(plan.organizations, plan.anchors, seed, today)
        reports.write(plan.anchors, users, seed, today or timezone.localdate())
        workplans.write(plan.anchors, seed, today)
        message = _(
            "Demo region loaded: scale %(scale)s, seed %(seed)d, %(n)d organisations, "
            "%(positions)d leadership positions, %(users)d demo accounts."
        ) % {
            "scale": scale,
            "seed": seed,
            "n": len(plan.organizations),
            "positions": len(plan.positions),
            "users": len(users),
        }
        message += " " + people_summary(
            len(crowd.elders), len(crowd.youth), len(crowd.teams), len(crowd.mentorships)
        )
        message += " " + _("%(n)d care cases.") % {"n": case_count}
        message += " " + activities_summary(len(ledger.activities))
        if removed:
            message += " " + _("%(n)d organisations removed first.") % {"n": removed}
        record(None, Action.CREATE, plan.root, message=message)
    return LoadResult(
        scale=scale,
        seed=seed,
        organizations=len(plan.organizations),
        positions=len(plan.positions),
        elders=len(crowd.elders),
        youth=len(crowd.youth),
        teams=len(crowd.teams),
        mentorships=len(crowd.mentorships),
        visits=len(crowd.visits),
        activities=len(ledger.activities),
        users=users,
        root=plan.root,
        seconds=time.perf_counter() - started,
        cases=case_count,
    )
