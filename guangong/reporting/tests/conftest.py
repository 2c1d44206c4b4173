"""A quarterly form set by the city: counties and townships report, up the tree.

township (墩买里街道) → county A (伊宁市) → city (伊犁州); county B (奎屯市) → city.
"""

import datetime

import pytest

from guangong.accounts.roles import Role
from guangong.accounts.tests.factories import UserFactory
from guangong.dicts.models import DictItem, DictKind
from guangong.orggroups.tests.fixtures import group_sets  # noqa: F401  (fixture)
from guangong.orgs.models import Kind
from guangong.people.tests.conftest import (  # noqa: F401  (fixtures)
    a_revealer,
    categories,
    people,
)
from guangong.reporting.models import (
    FormItem,
    FormRule,
    FormSection,
    ItemKind,
    ReportForm,
    ReportStatus,
    ReportValue,
)
from guangong.reporting.services import editing

Q1 = datetime.date(2026, 1, 1)


def new_form(actor, owner, name, period_type="quarter", kinds=("township",), **fields):
    """A report form saved through the editing service (starts on Q1 unless told)."""
    fields.setdefault("starts_on", Q1)
    return editing.save_form(
        actor,
        ReportForm(
            owner=owner,
            name=name,
            period_type=period_type,
            reporting_kinds=list(kinds),
            **fields,
        ),
    )


def approved_total(tree, code: str):
    """The sum of item ``code`` over the approved reports of the two counties, counted from
    the stored values."""
    return sum(
        ReportValue.objects.filter(
            report__status=ReportStatus.APPROVED,
            report__organization__in=[tree.county_a, tree.county_b],
            item__code=code,
        ).values_list("value", flat=True)
    )


@pytest.fixture
def t_clerk(tree):
    return UserFactory(username="t_clerk", organization=tree.township, role=Role.UNIT_ADMIN)


@pytest.fixture
def form(tree, city_admin):
    # get_or_create: a browser test (transactional) may have flushed the seeded items
    talk = DictItem.objects.get_or_create(kind=DictKind.ACTIVITY_TYPE, label="主题宣讲")[0]
    form = new_form(
        city_admin, tree.city, "关工委工作季报", kinds=(Kind.COUNTY, Kind.TOWNSHIP), due_days=10
    )
    section = editing.save_section(city_admin, FormSection(form=form, title="一、思想引领"))
    items = {}
    for code, label, kind, metric, param, extra in (
        ("A1", "主题宣讲场次", ItemKind.COMPUTED, "activity_sessions", str(talk.pk), {}),
        (
            "A2",
            "受教育人次",
            ItemKind.COMPUTED,
            "activity_participants",
            str(talk.pk),
            {"overridable": True},
        ),
        ("B1", "走访慰问户数", ItemKind.INTEGER, "", "", {"min_value": 0, "max_value": 100000}),
        ("B2", "发放慰问金（元）", ItemKind.DECIMAL, "", "", {"required": False}),
        ("C1", "典型经验", ItemKind.TEXT, "", "", {"required": False}),
    ):
        items[code] = editing.save_item(
            city_admin,
            FormItem(
                section=section,
                code=code,
                label=label,
                kind=kind,
                metric=metric,
                metric_param=param,
                **extra,
            ),
        )
    editing.save_rule(
        city_admin,
        FormRule(
            form=form,
            left=items["A2"],
            operator=">=",
            right=items["A1"],
            message="受教育人次不应少于宣讲场次",
        ),
    )
    return form
