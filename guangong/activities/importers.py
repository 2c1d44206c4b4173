"""Activities from a spreadsheet, with the shared import machinery (check, confirm, undo).

Checking prefetches, for the whole file, the organisations it names (in the user's editable
scope, by division code or exact name, as the people import finds them) and the current elders
of the user's scope bearing the names it lists; an elder is then found by name within the
activity's organisation subtree. Saving calls ``services.save_activity`` row by row inside the
commit's one transaction (all or nothing), so the statistics counters and the elders' service
hours move exactly as for an activity entered on the page; undo deletes through
``services.delete_activity`` for the same reason.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guangong.core.importer import Column, ImportContext, Importer, Row, register
from guangong.core.scope import subtree_q
from guangong.dicts.models import DictKind
from guangong.orgs.models import Organization
from guangong.people.import_common import OrgLookup, add_error, chunks, dict_choices
from guangong.people.models import Elder

from . import plausibility, services
from .models import Activity

#: The confirmation column's answers.
CONFIRMATION = {"是": True, "否": False}

#: Between two elders of the 五老 cell: ; ； 、 , ， or a line break.
ELDER_SEPARATORS = re.compile(r"[;；、,，\n]+")
#: Between an elder's name and their hours: : or ：
HOURS_SEPARATOR = re.compile(r"[:：]")


def parse_elders(text: str) -> list[tuple[str, Decimal]]:
    """“张三:2;李四:1.5” → [("张三", 2), ("李四", 1.5)]; a name without hours gives 0 hours."""
    pairs: list[tuple[str, Decimal]] = []
    for part in ELDER_SEPARATORS.split(text or ""):
        part = part.strip()
        if not part:
            continue
        name, *rest = HOURS_SEPARATOR.split(part, maxsplit=1)
        name = "".join(name.split())
        hours_text = rest[0].strip() if rest else ""
        if not name:
            raise ValueError(_("“%(part)s” names no elder.") % {"part": part})
        try:
            hours = Decimal(hours_text) if hours_text else Decimal(0)
        except InvalidOperation:
            raise ValueError(
                _("The hours of %(name)s (“%(hours)s”) are not a number.")
                % {"name": name, "hours": hours_text}
            ) from None
        if not hours.is_finite() or hours < 0:
            raise ValueError(_("The hours of %(name)s cannot be negative.") % {"name": name})
        pairs.append((name, hours.quantize(Decimal("0.1"))))
    return pairs


@register
class ActivityImporter(Importer):
    model = Activity
    title = gettext_lazy("Activity ledger")
    start_url_name = "activities:activity_import"
    list_url_name = "activities:activity_list"
    notes = (
        gettext_lazy(
            "Elders are named in one cell with their service hours, e.g. 张三:2;李四:1.5. Each "
            "must be a five-elders volunteer registered at the activity's organisation or "
            "below it."
        ),
        gettext_lazy(
            "The statistics count the imported activities the moment the import is saved; "
            "undoing the import takes them out again."
        ),
    )
    columns = (
        Column(
            gettext_lazy("Organisation (division code or name)"),
            "organization",
            required=True,
            width=26,
            help=gettext_lazy(
                "The division code or exact full name of the organisation in your scope that "
                "held the activity."
            ),
            example="654002",
        ),
        Column(
            gettext_lazy("Activity type"),
            "type",
            required=True,
            kind="choice",
            choices=dict_choices(DictKind.ACTIVITY_TYPE),
            width=16,
        ),
        Column(gettext_lazy("Activity title"), "title", required=True, width=30),
        Column(gettext_lazy("Date"), "date", required=True, kind="date", width=14),
        Column(gettext_lazy("End date"), "end_date", kind="date", width=14),
        Column(gettext_lazy("Place"), "place", width=20),
        Column(
            gettext_lazy("Audience category"),
            "audience",
            kind="choice",
            choices=dict_choices(DictKind.YOUTH_CATEGORY),
            width=14,
        ),
        Column(
            gettext_lazy("Participants (person-times)"),
            "participants",
            required=True,
            kind="int",
            width=12,
            example="120",
        ),
        Column(
            gettext_lazy("Elders and hours"),
            "elders",
            width=30,
            max_length=2000,
            help=gettext_lazy(
                "Names of the five-elders volunteers who took part, each with the hours they "
                "gave, separated by semicolons: 张三:2;李四:1.5."
            ),
            example="张三:2;李四:1.5",
        ),
        Column(gettext_lazy("Content summary"), "summary", width=40),
        Column(
            gettext_lazy("The figures are right"),
            "confirmed",
            kind="choice",
            choices=lambda: CONFIRMATION,
            width=12,
            help=gettext_lazy(
                "Fill in 是 to save a row whose figures look unusual or which looks like an "
                "activity recorded already, once you have checked it."
            ),
        ),
    )

    def display(self, field_name: str, value) -> str:
        if field_name == "organization" and isinstance(value, Organization):
            return value.name
        if field_name == "elders" and isinstance(value, dict):
            names = self._elder_names
            return "；".join(f"{names.get(pk, pk)}:{hours}" for pk, hours in value.items())
        return super().display(field_name, value)

    _elder_names: dict[int, str] = {}

    # -- check --------------------------------------------------------------------------------

    def prepare(self, context: ImportContext, rows: list[Row]) -> None:
        orgs = OrgLookup(context.actor, (row.values.get("organization") for row in rows))
        names: set[str] = set()
        parsed: dict[int, list | str] = {}
        for row in rows:
            try:
                parsed[row.number] = parse_elders(row.values.get("elders") or "")
            except ValueError as exc:
                parsed[row.number] = str(exc)
                continue
            names.update(name for name, _hours in parsed[row.number])
        scope = context.actor.scope_path or ""
        elders: dict[str, list[tuple[int, str]]] = {}
        current = Elder.objects.current().filter(subtree_q("organization__path", scope))
        for chunk in chunks(names):
            for pk, name, path in current.filter(name__in=chunk).values_list(
                "pk", "name", "organization__path"
            ):
                elders.setdefault(name, []).append((pk, path))
        self._elder_names = {pk: name for name, found in elders.items() for pk, _p in found}
        context.data.update(
            orgs=orgs,
            parsed=parsed,
            elders=elders,
            today=timezone.localdate(),
            ranges=functools.cache(plausibility.plausible_range),
            seen={},
        )

    def validate_row(self, row: Row, context: ImportContext) -> dict:
        data = context.data
        values = dict(row.values)
        errors: dict[str, list[str]] = {}
        org = None
        if "organization" not in row.failed:
            try:
                org = values["organization"] = data["orgs"].resolve(values["organization"])
            except ValidationError as exc:
                errors["organization"] = exc.messages
        start, end = values.get("date"), values.get("end_date")
        if start and start > data["today"]:
            add_error(errors, "date", _("An activity cannot be recorded before it takes place."))
        if end and start and end < start:
            add_error(errors, "end_date", _("The end date cannot be before the date."))
        elif end and end > data["today"]:
            add_error(errors, "end_date", _("The end date cannot be in the future."))
        participants = values.get("participants")
        if participants is not None and "participants" not in row.failed:
            if participants < 0:
                message = _("The number of participants cannot be negative.")
                add_error(errors, "participants", message)
            elif participants > services.MAX_PARTICIPANTS:
                add_error(
                    errors,
                    "participants",
                    _("At most %(n)s participants per activity.")
                    % {"n": f"{services.MAX_PARTICIPANTS:,}"},
                )
        values["elders"] = self._resolve_elders(row, org, start, end, data, errors)
        if org is not None and not errors:
            self._plausible(row, values, data, errors)
        if errors:
            raise ValidationError(errors)
        return values

    def _plausible(self, row: Row, values: dict, data: dict, errors: dict) -> None:
        """The page's plausibility rules, and a near-identical row earlier in the file."""
        org = values["organization"]
        activity = Activity(
            organization=org,
            type_id=values.get("type"),
            title=values.get("title") or "",
            date=values.get("date"),
            end_date=values.get("end_date"),
            participants=values.get("participants") or 0,
        )
        for field, message in plausibility.errors(activity, org, values["elders"], 0).items():
            add_error(errors, field, message)
        if errors:
            return
        doubts = [
            d.message
            for d in plausibility.doubts(activity, org, values["elders"], None, data["ranges"])
        ]
        key = (org.pk, activity.date)
        mine = plausibility.normalise_title(activity.title)
        for number, theirs in data["seen"].get(key, ()):
            if theirs == mine or plausibility.near(mine, theirs):
                doubts.append(
                    _("Probably the same activity as row %(n)d of this file.") % {"n": number}
                )
                break
        data["seen"].setdefault(key, []).append((row.number, mine))
        if doubts and not values.get("confirmed"):
            for message in doubts:
                add_error(errors, "confirmed", message)
            add_error(
                errors,
                "confirmed",
                _("Check the row; fill in 是 in the column “The figures are right” to save it."),
            )

    def _resolve_elders(self, row, org, start, end, data, errors) -> dict[int, Decimal]:
        parsed = data["parsed"].get(row.number) or []
        if isinstance(parsed, str):
            add_error(errors, "elders", parsed)
            return {}
        days = ((end or start) - start).days + 1 if start else 1
        limit = services.HOURS_PER_DAY * max(days, 1)
        found: dict[int, Decimal] = {}
        for name, hours in parsed:
            if hours > limit:
                add_error(
                    errors,
                    "elders",
                    _("%(name)s cannot give more than %(h)s hours to this activity.")
                    % {"name": name, "h": limit},
                )
                continue
            if org is None:
                continue
            matches = [pk for pk, path in data["elders"].get(name, ()) if path.startswith(org.path)]
            if not matches:
                add_error(
                    errors,
                    "elders",
                    _("No five-elders volunteer called %(name)s at %(org)s or below it.")
                    % {"name": name, "org": org.name},
                )
            elif len(matches) > 1:
                add_error(
                    errors,
                    "elders",
                    _(
                        "%(n)d five-elders volunteers at %(org)s or below it are called "
                        "%(name)s; record this activity on its page to choose."
                    )
                    % {"n": len(matches), "org": org.name, "name": name},
                )
            elif matches[0] in found:
                add_error(errors, "elders", _("%(name)s is listed twice.") % {"name": name})
            else:
                found[matches[0]] = hours
        return found

    # -- save and undo ------------------------------------------------------------------------

    def create(self, values: dict, context: ImportContext) -> Activity:
        activity = Activity(
            organization=values["organization"],
            type_id=values["type"],
            title=values["title"],
            date=values["date"],
            end_date=values.get("end_date"),
            place=values.get("place") or "",
            audience_id=values.get("audience"),
            participants=values["participants"],
            summary=values.get("summary") or "",
        )
        return services.save_activity(
            context.actor,
            activity,
            elders=values.get("elders") or {},
            import_batch=context.batch_id,
            confirmed=bool(values.get("confirmed")),
        )

    def delete(self, obj: Activity, context: ImportContext) -> None:
        services.delete_activity(context.actor, obj)
