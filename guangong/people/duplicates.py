"""Records that may be the same person (the same ID number, or the same name and birth date),
and the administrators' pages that list and merge them, or mark a pair as two different people
(“不是同一人”) and take that back.

Two grouped queries find the repeated keys within a queryset (the user's subtree), then one
query fetches the records concerned and one the pairs marked as different people; nothing is
compared in Python beyond those rows.
"""

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations, islice

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from guangong.core.resources import policy_for
from guangong.core.views import VerbRequiredMixin

from .forms import DismissForm, MergeForm
from .merging import dismiss_duplicate, merge_people, restore_duplicate
from .models import DISMISSALS, Elder, Person, Youth

#: At most this many repeated keys of each sort are shown at once (merging shortens the list).
MAX_GROUPS = 100
#: At most this many pairs from one group (a group of n records has n(n-1)/2 pairs).
MAX_PAIRS_PER_GROUP = 10

SAME_ID = "id_number"
SAME_NAME_BIRTH = "name_birth"


@dataclass(frozen=True)
class Pair:
    first: Person
    second: Person
    reason: str  # SAME_ID or SAME_NAME_BIRTH


def duplicate_pairs(queryset, limit: int = MAX_GROUPS, dismissed: int = 0) -> list[Pair]:
    """Pairs of current records of ``queryset`` that share an ID number or a name and birth
    date; a pair sharing both is listed once, as the same ID number.

    A pair marked as two different people is left out when it shares only the name and birth
    date. ``dismissed`` (how many such marks there are) widens the name-and-birth-date groups
    fetched, so that marked pairs never crowd out the others.
    """
    current = queryset.current().order_by()
    hashes = {
        row["id_number_hash"]
        for row in current.exclude(id_number_hash="")
        .values("id_number_hash")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by("id_number_hash")[:limit]
    }
    keys = {
        (row["name"], row["birth_date"])
        for row in current.exclude(birth_date=None)
        .values("name", "birth_date")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by("name", "birth_date")[: limit + dismissed]
    }
    if not hashes and not keys:
        return []
    condition = Q(id_number_hash__in=hashes) | Q(
        name__in={name for name, _ in keys}, birth_date__in={birth for _, birth in keys}
    )
    rows = (
        current.filter(condition)
        .select_related("organization")
        .annotate(mentorship_count=Count("mentorships", distinct=True))
        .order_by("pk")
    )
    by_hash, by_key = defaultdict(list), defaultdict(list)
    for person in rows:
        if person.id_number_hash in hashes:
            by_hash[person.id_number_hash].append(person)
        if (person.name, person.birth_date) in keys:
            by_key[(person.name, person.birth_date)].append(person)
    not_same = set()
    if by_key:
        ids = {p.pk for group in by_key.values() for p in group}
        not_same = set(
            DISMISSALS[queryset.model]
            .objects.filter(first__in=ids, second__in=ids)
            .values_list("first_id", "second_id")
        )
    pairs, seen = [], set()
    for reason, groups in ((SAME_ID, by_hash), (SAME_NAME_BIRTH, by_key)):
        skip = seen | not_same if reason == SAME_NAME_BIRTH else seen
        for key in sorted(groups, key=str):
            candidates = (
                (first, second)
                for first, second in combinations(groups[key], 2)
                if (first.pk, second.pk) not in skip
            )
            for first, second in islice(candidates, MAX_PAIRS_PER_GROUP):
                if (first.pk, second.pk) not in seen:
                    seen.add((first.pk, second.pk))
                    pairs.append(Pair(first, second, reason))
    return pairs


# --- Pages -----------------------------------------------------------------------------------

MERGEABLE = {"elder": Elder, "youth": Youth}


def mergeable_model(value: str | None):
    return MERGEABLE.get(value or "", Elder)


def dismissals_in_scope(model, user):
    """The pairs marked as two different people whose records are both in the user's subtree."""
    rows = policy_for(model).instances(user, "merge", model.objects.all())
    return DISMISSALS[model].objects.filter(first__in=rows, second__in=rows)


class KindPageView(VerbRequiredMixin, TemplateView):
    """An administrator's page on one kind of mergeable record (``?kind=``, elders by default),
    with the tabs of the kinds (people/duplicates_page.html) and its ``title``."""

    verb = "manage_users"
    title = ""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        self.model = mergeable_model(self.request.GET.get("kind"))
        ctx.update(
            title=self.title,
            kind=self.model._meta.model_name,
            model_meta=self.model._meta,
            tabs=[(key, m._meta.verbose_name_plural) for key, m in MERGEABLE.items()],
        )
        return ctx


class DuplicatesView(KindPageView):
    """Pairs of records in the administrator's subtree that may be the same person."""

    template_name = "people/duplicates.html"
    title = gettext_lazy("Possible duplicates")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        model = self.model
        user = self.request.user
        dismissed = dismissals_in_scope(model, user).count()
        ctx.update(
            pairs=duplicate_pairs(
                policy_for(model).instances(user, "merge", model.objects.all()),
                dismissed=dismissed,
            ),
            dismissed_count=dismissed,
            reasons={SAME_ID: _("Same ID number"), SAME_NAME_BIRTH: _("Same name and birth date")},
        )
        return ctx


class DismissedView(KindPageView):
    """The pairs marked as two different people, within the administrator's subtree."""

    template_name = "people/dismissed_duplicates.html"
    title = gettext_lazy("Marked as different people")
    #: At most this many, newest first.
    limit = 200

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        dismissals = (
            dismissals_in_scope(self.model, self.request.user)
            .select_related("first__organization", "second__organization", "created_by")
            .order_by("-created_at", "-pk")
        )
        ctx["dismissals"] = dismissals[: self.limit]
        return ctx


class DismissView(VerbRequiredMixin, View):
    """POST two records (and a reason): ``dismiss_duplicate`` or, with
    ``restore``, ``restore_duplicate`` (both audited)."""

    verb = "manage_users"
    http_method_names = ["post"]
    restore = False

    def post(self, request):
        model = mergeable_model(request.POST.get("kind"))
        kind = model._meta.model_name
        page = "people:dismissed_duplicates" if self.restore else "people:duplicates"
        back = f"{reverse(page)}?kind={kind}"
        form = DismissForm(request.POST, model=model, user=request.user, current=not self.restore)
        if not form.is_valid():
            raise Http404  # outside the subtree, merged, or absent: all alike
        first, second = form.cleaned_data["first"], form.cleaned_data["second"]
        try:
            if self.restore:
                restore_duplicate(request.user, first, second)
            else:
                reason = form.cleaned_data["reason"]
                dismiss_duplicate(request.user, first, second, reason)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return HttpResponseRedirect(back)
        if self.restore:
            note = _("%(first)s and %(second)s are listed as possible duplicates again.")
        else:
            note = _("%(first)s and %(second)s are marked as two different people.")
        messages.success(request, note % {"first": first.name, "second": second.name})
        return HttpResponseRedirect(back)


class MergeView(VerbRequiredMixin, View):
    """POST two records and which to keep: ``merge_people`` (audited)."""

    verb = "manage_users"
    http_method_names = ["post"]

    def post(self, request):
        model = mergeable_model(request.POST.get("kind"))
        back = f"{reverse('people:duplicates')}?kind={model._meta.model_name}"
        form = MergeForm(request.POST, model=model, user=request.user)
        if not form.is_valid():
            if form.has_error("first") or form.has_error("second"):
                raise Http404  # outside the subtree, merged already, or absent: all alike
            messages.error(request, _("Choose the record to keep."))
            return HttpResponseRedirect(back)
        survivor, duplicate = form.survivor_and_duplicate()
        try:
            merge_people(request.user, survivor, duplicate)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return HttpResponseRedirect(back)
        messages.success(
            request,
            _("Merged %(duplicate)s into %(survivor)s.")
            % {"duplicate": duplicate.name, "survivor": survivor.name},
        )
        return HttpResponseRedirect(back)
