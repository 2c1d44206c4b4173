"""Below 600 px each list row is a card: the cells of the table's card carry their role and
their column's heading, the others none (the stylesheet leaves those out on a phone)."""

import re

import django_tables2 as tables
from django.template import Context, Template
from django.test import RequestFactory

from guangong.core.tables import Card, card_of


def cells(html: str) -> list[tuple[str, str]]:
    """(data-card, data-label) of each cell of the first row."""
    row = re.search(r"<tbody[^>]*>\s*<tr[^>]*>(.*?)</tr>", html, re.S).group(1)
    found = []
    for td in re.findall(r"<td([^>]*)>", row):
        role = re.search(r'data-card="([^"]*)"', td)
        label = re.search(r'data-label="([^"]*)"', td)
        found.append((role and role.group(1) or "", label and label.group(1) or ""))
    return found


class Declared(tables.Table):
    card = Card(title="name", date="day", status="state", fields=("town", "people"))
    day = tables.Column(verbose_name="日期")
    name = tables.Column(verbose_name="标题")
    place = tables.Column(verbose_name="地点")
    state = tables.Column(verbose_name="状态")
    town = tables.Column(verbose_name="乡镇")
    people = tables.Column(verbose_name="人次")


class Undeclared(tables.Table):
    a = tables.Column(verbose_name="甲")
    b = tables.Column(verbose_name="乙")
    c = tables.Column(verbose_name="丙")
    d = tables.Column(verbose_name="丁")


ROW = {
    "day": "2026-12-01",
    "name": "宣讲",
    "place": "礼堂",
    "state": "已审",
    "town": "向城",
    "people": 30,
}


def render(table) -> str:
    request = RequestFactory().get("/")
    table.paginate(page=1, per_page=25)
    return Template("{% load django_tables2 %}{% render_table table %}").render(
        Context({"table": table, "request": request})
    )


def test_a_declared_card_marks_its_cells():
    html = render(Declared([ROW]))
    assert 'class="table-container table-responsive gg-cards"' in html
    assert cells(html) == [
        ("date", "日期"),
        ("title", "标题"),
        ("", ""),  # 地点: on wider screens only
        ("status", "状态"),
        ("field", "乡镇"),
        ("field", "人次"),
    ]


def test_a_table_without_a_card_shows_its_first_columns():
    table = Undeclared([{"a": 1, "b": 2, "c": 3, "d": 4}])
    assert card_of(table) == Card(title="a", fields=("b", "c"))
    assert cells(render(table)) == [("title", "甲"), ("field", "乙"), ("field", "丙"), ("", "")]


def test_every_card_names_columns_of_its_table():
    import importlib
    import inspect
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    declared = 0
    for path in sorted(root.glob("*/tables.py")):
        module = importlib.import_module(f"guangong.{path.parent.name}.tables")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, tables.Table) and isinstance(getattr(cls, "card", None), Card):
                card = cls.card
                names = set(cls.base_columns)
                roles = {card.title, card.date, card.status, *card.fields} - {""}
                assert roles <= names, (cls, roles - names)
                declared += 1
    assert declared >= 15


WIDE = {"td": {"class": "d-none d-md-table-cell"}}


def test_the_other_cells_keep_their_attributes_unescaped():
    class Wide(tables.Table):
        card = Card(title="name")
        name = tables.Column(verbose_name="标题")
        place = tables.Column(
            verbose_name="地点", attrs={"td": {"class": "d-none d-md-table-cell"}}
        )

    html = render(Wide([{"name": "宣讲", "place": "礼堂"}]))
    assert '<td class="d-md-table-cell d-none">礼堂' in html and "&quot;d-md" not in html
