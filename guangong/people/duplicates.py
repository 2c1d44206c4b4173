"""Records that may be the same person (the same ID number, or the same name and birth date),
and the administrators' pages that list and merge them.

Two grouped queries find the repeated keys within a queryset (the user's subtree), then one
query fetches the records concerned; nothing is compared in Python beyond those rows.
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
from django.views import View
from django.views.generic import TemplateView

from guangong.core.views import VerbRequiredMixin

from . import services
from .forms import MergeForm
from .models import Elder, Person, Youth

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


def duplicate_pairs(queryset, limit: int = MAX_GROUPS) -> list[Pair]:
    """Pairs of current records of ``queryset`` that share an ID number or a name and birth
    date; a pair sharing both is listed once, as the same ID number."""
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
        .order_by("name", "birth_date")[:limit]
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
    pairs, seen = [], set()
    for reason, groups in ((SAME_ID, by_hash), (SAME_NAME_BIRTH, by_key)):
        for key in sorted(groups, key=str):
            for first, second in islice(combinations(groups[key], 2), MAX_PAIRS_PER_GROUP):
                if (first.pk, second.pk) not in seen:
                    seen.add((first.pk, second.pk))
                    pairs.append(Pair(first, second, reason))
    return pairs


# --- Pages -----------------------------------------------------------------------------------

MERGEABLE = {"elder": Elder, "youth": Youth}


def mergeable_model(value: str | None):
    return MERGEABLE.get(value or "", Elder)


class DuplicatesView(VerbRequiredMixin, TemplateView):
    """Pairs of records in the administrator's subtree that may be the same person."""

    verb = "manage_users"
    template_name = "people/duplicates.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        model = mergeable_model(self.request.GET.get("kind"))
        kind = model._meta.model_name
        ctx.update(
            kind=kind,
            model_meta=model._meta,
            pairs=duplicate_pairs(model.objects.visible_to(self.request.user)),
            tabs=[(key, m._meta.verbose_name_plural) for key, m in MERGEABLE.items()],
            reasons={SAME_ID: _("Same ID number"), SAME_NAME_BIRTH: _("Same name and birth date")},
        )
        return ctx


class MergeView(VerbRequiredMixin, View):
    """POST two records and which to keep: ``services.merge_people`` (audited)."""

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
            services.merge_people(request.user, survivor, duplicate)
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
