"""``field__any_of``: long lists in one query, the same rows as ``__in``."""

import datetime

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guangong.core.lookups import array_literal
from guangong.dicts.models import DictItem, DictKind

pytestmark = pytest.mark.django_db

AWKWARD = ["逗号,在中间", '引号"', "反斜杠\\", "{花括号}", "NULL", " 前后空格 ", "", "单引号'"]


def test_any_of_finds_the_same_items_as_in():
    for label in AWKWARD:
        DictItem.objects.create(kind=DictKind.ELDER_CATEGORY, label=label)
    DictItem.objects.create(kind=DictKind.ELDER_CATEGORY, label="别的")
    wanted = [*AWKWARD, "不存在"]
    items = DictItem.objects.filter(kind=DictKind.ELDER_CATEGORY)
    found = set(items.filter(label__any_of=wanted).values_list("label", flat=True))
    assert found == set(items.filter(label__in=wanted).values_list("label", flat=True))
    assert found == set(AWKWARD)
    assert not items.filter(label__any_of=[]).exists()


# Text that can be stored: no NUL (PostgreSQL refuses it) and no lone surrogates (not UTF-8).
TEXT = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="array literals are PostgreSQL's")
@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.one_of(st.none(), TEXT)))
def test_an_array_literal_reads_back_as_the_values(values):
    with connection.cursor() as cursor:
        cursor.execute("SELECT unnest(%s::text[])", [array_literal(values)])
        assert [row[0] for row in cursor.fetchall()] == values


@pytest.mark.skipif(connection.vendor != "postgresql", reason="array literals are PostgreSQL's")
def test_dates_make_a_date_array():
    dates = [datetime.date(1952, 3, 14), None, datetime.date(2000, 2, 29)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT unnest(%s::date[])", [array_literal(dates)])
        assert [row[0] for row in cursor.fetchall()] == dates
