"""The list tables' rows, rendered in Python, are the rows django-tables2's own template writes."""

import re

import django_tables2 as tables
from django.template import Context, Template
from django.test import RequestFactory
from django.utils.html import format_html

from guangong.core.tables import WIDE_ONLY


class Sample(tables.Table):
    name = tables.Column()
    count = tables.Column(localize=True)
    code = tables.Column(localize=False, attrs=WIDE_ONLY)
    note = tables.Column(default="—", attrs={"td": {"data-value": lambda value: value or "none"}})
    shown = tables.Column(empty_values=())

    class Meta:
        row_attrs = {"class": lambda record: "text-muted" if record["count"] < 0 else ""}
        attrs = {"class": "table"}

    def render_shown(self, record, value):
        return format_html("<b>{}</b>", f"{record['name']}:{value}")


ROWS = [
    {"name": "城关镇<script>", "count": 12345, "code": 65010001, "note": "", "shown": 1},
    {"name": "西沟街道", "count": -1, "code": 65010002, "note": "备注 & 说明", "shown": None},
]


def tbody(html: str) -> str:
    body = re.search(r"<tbody[^>]*>(.*)</tbody>", html, re.S).group(1)
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", body)).strip()


def render(table, template: str) -> str:
    request = RequestFactory().get("/")
    tables.RequestConfig(request, paginate={"per_page": 25}).configure(table)
    context = Context({"table": table, "request": request})
    return Template("{% load django_tables2 %}{% render_table table '" + template + "' %}").render(
        context
    )


def without_card(html: str) -> str:
    """The rows without the attributes that lay a row out as a card on a phone."""
    return re.sub(r' data-card="[^"]*" data-label="[^"]*"', "", html).replace("<td >", "<td>")


def test_rows_are_those_of_the_stock_template():
    stock = tbody(render(Sample(ROWS), "django_tables2/bootstrap5.html"))
    carded = tbody(render(Sample(ROWS), "core/table.html"))
    # Each cell says its part of the phone's card (a table without a Card: its first columns).
    assert 'data-card="title" data-label="Name"' in carded
    ours = without_card(carded)
    assert ours == without_card(stock)
    assert "城关镇&lt;script&gt;" in ours  # escaped, not markup
    assert 'data-value="备注 &amp; 说明"' in ours  # attributes computed from the cell
    assert '<td class="d-md-table-cell d-none">65010001</td>' in ours
    assert "<b>西沟街道:None</b>" in ours
    assert '<tr class="even">' in ours and '<tr class="text-muted odd">' in ours


def test_an_empty_table_says_so_in_its_own_words():
    class Empty(Sample):
        class Meta:
            empty_text = "暂无个案"

    assert "暂无个案" in render(Empty([]), "core/table.html")
    assert "暂无数据" in Template("{% load django_tables2 %}{% render_table t %}").render(
        Context({"t": Sample([]), "request": RequestFactory().get("/")})
    )


def test_date_columns_render_what_the_template_columns_render(settings):
    import datetime

    from guangong.core.tables import DateColumn, DateTimeColumn

    settings.USE_TZ = True
    moment = datetime.datetime(2026, 1, 1, 0, 30, tzinfo=datetime.UTC)  # 08:30 here
    rows = [{"day": datetime.date(2026, 12, 6), "at": moment}, {"day": None, "at": None}]

    def table(date_column, time_column, **formats):
        class Dated(tables.Table):
            day = date_column(**formats.get("day", {}))
            at = time_column(**formats.get("at", {}))

        return Dated(rows)

    for formats in ({}, {"day": {"format": "Y-m-d"}, "at": {"format": "Y-m-d H:i"}}):
        ours = without_card(
            tbody(render(table(DateColumn, DateTimeColumn, **formats), "core/table.html"))
        )
        stock = tbody(
            render(
                table(tables.DateColumn, tables.DateTimeColumn, **formats),
                "django_tables2/bootstrap5.html",
            )
        )
        assert ours == without_card(stock)
    assert "2026-01-01 08:30" in ours and "2026-12-06" in ours  # local time, not UTC
