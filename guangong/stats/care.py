"""Care figures for the statistics layer: cases by kind and stage, people helped, money.

Counted live from the case table (a subtree's cases are one indexed path range; there are far
fewer cases than activities). Anyone with the ``view`` verb may read these counts; the cases
themselves stay with care workers (``case_counts`` counts what ``countable_by`` lets a user count).
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum

from guangong.care.models import Case, Status
from guangong.core.scope import subtree_q
from guangong.dicts.models import DictItem, DictKind


def summary(org, period) -> dict:
    """Cases opened in the period by kind and by current stage, people helped, amounts
    approved and disbursed (by the date of disbursement) for ``org``'s subtree."""
    cases = Case.objects.filter(subtree_q("organization__path", org.path))
    opened = cases.filter(opened_on__gte=period.start, opened_on__lte=period.end)
    by_kind = defaultdict(lambda: {"cases": 0, "disbursed": Decimal("0.00")})
    for kind_id, n in opened.values_list("kind_id").annotate(n=Count("pk")).order_by():
        by_kind[kind_id]["cases"] = n
    disbursed = cases.filter(disbursed_on__gte=period.start, disbursed_on__lte=period.end)
    for kind_id, amount in (
        disbursed.values_list("kind_id").annotate(s=Sum("amount_disbursed")).order_by()
    ):
        by_kind[kind_id]["disbursed"] = amount or Decimal("0.00")
    labels = dict(DictItem.objects.filter(kind=DictKind.CASE_KIND).values_list("pk", "label"))
    by_status = dict(opened.values_list("status").annotate(n=Count("pk")).order_by())
    people = opened.filter(youth__isnull=False).values("youth_id").distinct().count()
    people += opened.filter(youth__isnull=True).count()  # anonymised: one person each
    money = disbursed.aggregate(d=Sum("amount_disbursed"))
    approved = opened.aggregate(a=Sum("amount_approved"))
    return {
        "cases": opened.count(),
        "open_cases": cases.filter(~Q(status=Status.CLOSED)).count(),
        "people_helped": people,
        "amount_approved": approved["a"] or Decimal("0.00"),
        "amount_disbursed": money["d"] or Decimal("0.00"),
        "by_kind": [
            {"kind": pk, "label": labels.get(pk, ""), **values}
            for pk, values in sorted(by_kind.items(), key=lambda kv: -kv[1]["cases"])
        ],
        "by_status": [
            {"status": value, "label": str(label), "cases": by_status.get(value, 0)}
            for value, label in Status.choices
        ],
    }


def case_counts(user, org) -> dict:
    """Cases by kind and by stage that ``user`` may count, within ``org``'s subtree."""
    cases = Case.objects.countable_by(user)
    if org is not None:
        cases = cases.filter(subtree_q("organization__path", org.path))
    by_status = dict(cases.values_list("status").annotate(n=Count("pk")).order_by())
    by_kind = dict(cases.values_list("kind_id").annotate(n=Count("pk")).order_by())
    labels = dict(
        DictItem.objects.filter(kind=DictKind.CASE_KIND, pk__in=by_kind).values_list("pk", "label")
    )
    return {
        "count": sum(by_status.values()),
        "by_kind": sorted(
            ({"kind": pk, "label": labels.get(pk, ""), "count": n} for pk, n in by_kind.items()),
            key=lambda row: (-row["count"], row["label"]),
        ),
        "by_status": [
            {"status": value, "label": str(label), "count": by_status.get(value, 0)}
            for value, label in Status.choices
        ],
    }
