"""Plausibility of an activity at entry: the one place the rules live.

Every path that records an activity — the full page, the phone's quick form, the API and the
spreadsheet import — goes through ``services.save_activity``, which calls ``check`` here; the
import also calls ``errors`` and ``doubts`` while checking a file, so a row is refused before
anything is saved.

Two kinds of findings:

- **Errors** are refused whatever the recorder says: service hours with no elder, an elder with
  no hours, fewer participants than the young people named, a date outside the organisation's
  committee's life (before it was established, or after it was dissolved).
- **Doubts** are figures that may be right but usually are typing slips: participants or an
  elder's hours above the plausible range of the activity type at that kind of organisation
  (``ActivityRange``, else ``FALLBACK``), or a probable duplicate (same organisation, same date,
  a title equal once whitespace and punctuation are ignored, or within two edits). A doubt is
  accepted only with ``confirmed``; the confirmation is written into the audit row.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from guangong.orgs.models import Kind as OrgKind
from guangong.people.models import Elder

from .models import Activity, ActivityRange

#: Built-in ranges where the dictionary has none: (most participants, most hours a day).
FALLBACK: dict[str, tuple[int, Decimal]] = {
    OrgKind.PROVINCE: (20000, Decimal(12)),
    OrgKind.CITY: (10000, Decimal(12)),
    OrgKind.COUNTY: (5000, Decimal(12)),
    OrgKind.TOWNSHIP: (2000, Decimal(12)),
    OrgKind.VILLAGE: (500, Decimal(12)),
}
FALLBACK_UNIT = (2000, Decimal(12))
#: Two titles this many edits apart (or fewer) are “near-identical”…
MAX_EDITS = 2
#: …when both are at least this long (any two 2-character titles are two edits apart).
MIN_EDITED_LENGTH = 5


@dataclass(frozen=True)
class Doubt:
    """A figure to confirm: where (a form field), why, and the record it resembles, if any."""

    field: str
    message: str
    url: str = ""


class NeedsConfirmation(ValidationError):
    """Doubts the recorder has not confirmed (a 400 on the API, a checkbox on the pages)."""

    def __init__(self, doubts: list[Doubt]):
        self.doubts = doubts
        super().__init__({"confirmed": [d.message for d in doubts]})


def hours_alone_message() -> str:
    return _("Service hours were given but no elder was chosen.")


def normalise_title(title: str) -> str:
    """The title without whitespace, punctuation and symbols, full-width folded, case-free."""
    text = unicodedata.normalize("NFKC", title or "").casefold()
    return "".join(c for c in text if unicodedata.category(c)[0] not in "PZSC")


def within_edits(a: str, b: str, limit: int = MAX_EDITS) -> bool:
    """Whether ``a`` becomes ``b`` in at most ``limit`` insertions, deletions or changes."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit


def near(a: str, b: str) -> bool:
    """Normalised titles long enough to compare by edits, within ``MAX_EDITS`` of each other."""
    return min(len(a), len(b)) >= MIN_EDITED_LENGTH and within_edits(a, b)


def plausible_range(type_id, org_kind: str) -> tuple[int, Decimal]:
    """(most participants, most hours an elder gives a day) for a type at a kind."""
    rows = {
        kind: (most, hours)
        for kind, most, hours in ActivityRange.objects.filter(
            type_id=type_id, org_kind__in=(org_kind, "")
        )
        .order_by()  # the model's ordering would join the dictionary for nothing
        .values_list("org_kind", "max_participants", "max_hours")
    }
    if rows:
        return rows.get(org_kind) or rows[""]
    return FALLBACK.get(org_kind, FALLBACK_UNIT)


def days_of(activity: Activity) -> int:
    if not activity.date:
        return 1
    return max(((activity.end_date or activity.date) - activity.date).days + 1, 1)


def errors(activity: Activity, organization, elders: dict[int, Decimal], named_youths: int):
    """``{field: message}`` of the rules no confirmation lifts."""
    found: dict[str, str] = {}
    idle = [pk for pk, hours in elders.items() if not hours]
    if idle:
        names = "、".join(
            Elder.objects.filter(pk__in=idle).order_by("pk").values_list("name", flat=True)
        )
        found["elders"] = _("Give the service hours of each elder chosen (%(names)s).") % {
            "names": names
        }
    if activity.participants is not None and activity.participants < named_youths:
        found["participants"] = _(
            "%(n)d young people are named, but only %(p)d participants are given."
        ) % {"n": named_youths, "p": activity.participants}
    founded = organization.established_on
    if activity.date and founded and activity.date < founded:
        found["date"] = _(
            "%(org)s was established on %(day)s; an activity cannot be dated before that."
        ) % {"org": organization.name, "day": founded.isoformat()}
    ended = organization.dissolved_on
    if ended:
        late = {"org": organization.name, "day": ended.isoformat()}
        if activity.date and activity.date > ended:
            found["date"] = (
                _("%(org)s was dissolved on %(day)s; an activity cannot be dated after that.")
                % late
            )
        elif activity.end_date and activity.end_date > ended:
            found["end_date"] = (
                _("%(org)s was dissolved on %(day)s; an activity cannot end after that.") % late
            )
    return found


def similar(activity: Activity) -> Activity | None:
    """Another activity of the same organisation on the same date with a near-identical title."""
    if not (activity.organization_id and activity.date and activity.title):
        return None
    mine = normalise_title(activity.title)
    same_day = Activity.objects.filter(organization_id=activity.organization_id, date=activity.date)
    if activity.pk:
        same_day = same_day.exclude(pk=activity.pk)
    for pk, title in same_day.values_list("pk", "title")[:200]:
        theirs = normalise_title(title)
        if theirs == mine or near(mine, theirs):
            return Activity(pk=pk, title=title)
    return None


def doubts(activity: Activity, organization, elders, stored=None, range_of=None) -> list:
    """The doubts about ``activity``; on an edit (``stored``: its saved state as
    ``(activity, elders)``), only about what changed. ``range_of`` replaces
    ``plausible_range`` (an import looks each range up once)."""
    old, old_elders = stored if stored else (None, None)
    found: list[Doubt] = []
    most, hours_a_day = (range_of or plausible_range)(activity.type_id, organization.kind)
    participants = activity.participants or 0
    if participants > most and (old is None or old.participants != participants):
        found.append(
            Doubt(
                "participants",
                _(
                    "%(p)s participants is more than is usual for this activity type at this "
                    "kind of organisation (at most %(most)s): check the figure."
                )
                % {"p": f"{participants:,}", "most": f"{most:,}"},
            )
        )
    limit = hours_a_day * days_of(activity)
    over = [pk for pk, h in elders.items() if h > limit and (old_elders or {}).get(pk) != h]
    if over:
        found.append(
            Doubt(
                "elders",
                _(
                    "More than %(h)s service hours for one elder is unusual for this activity "
                    "type: check the hours."
                )
                % {"h": limit.normalize()},
            )
        )
    moved = old is None or (old.organization_id, old.date, old.title) != (
        activity.organization_id,
        activity.date,
        activity.title,
    )
    twin = similar(activity) if moved else None
    if twin is not None:
        found.append(
            Doubt(
                "title",
                _(
                    "Probably recorded already: “%(title)s” (%(url)s), same organisation, same "
                    "date. Save only if this is a different activity."
                )
                % {"title": twin.title, "url": twin.get_absolute_url()},
                twin.get_absolute_url(),
            )
        )
    return found


def check(activity, organization, elders, *, confirmed=False, stored=None):
    """Refuse unconfirmed ``doubts`` (NeedsConfirmation, after ``errors`` were refused);
    return the doubts confirmed, for the audit row."""
    found = doubts(activity, organization, elders, stored)
    if found and not confirmed:
        raise NeedsConfirmation(found)
    return found


def audit_message(confirmed: list[Doubt]) -> str:
    if not confirmed:
        return ""
    return _("Confirmed as right: %(doubts)s") % {"doubts": " ".join(d.message for d in confirmed)}
