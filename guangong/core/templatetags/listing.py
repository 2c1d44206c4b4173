"""The body of a list table, rendered in Python.

django-tables2 renders each cell through a template loop, computes each cell's attributes again
and inspects the render method's signature for every cell: on a 25-row page of eight columns that
was most of a list page's time. ``{% table_body table %}`` writes the same ``<tbody>`` markup
with the per-column work done once: the cell attributes (unless a column computes them from the
row) and the render method's signature.
"""

from __future__ import annotations

from django import template
from django.utils import formats
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django_tables2.rows import BoundRow
from django_tables2.utils import signature

from guangong.core.forms import quoted_name
from guangong.core.tables import card_of

register = template.Library()

_signatures: dict = {}


def _cached_signature(fn):
    key = getattr(fn, "__func__", fn)
    found = _signatures.get(key)
    if found is None:
        found = _signatures[key] = signature(fn)
    return found


class _Row(BoundRow):
    """A row whose cells call the render method with the arguments its signature names, the
    signature read once per method instead of once per cell."""

    def _call_render(self, bound_column, value=None):
        kwargs = self._optional_cell_arguments(bound_column, value)
        fn = bound_column.render
        names, catch_all = _cached_signature(fn)
        if catch_all:
            content = fn(**kwargs)
        elif all(name in kwargs for name in names):
            content = fn(**{name: kwargs[name] for name in names})
        else:
            content = None
        return bound_column.link(content, **kwargs) if bound_column.link else content


def _computes_from_row(attrs) -> bool:
    return any(callable(value) for key in ("td", "cell") for value in attrs.get(key, {}).values())


def _shown(value, localize) -> str:
    if localize is None:
        value = formats.localize(value)
    elif localize:
        value = formats.localize(value, use_l10n=True)
    else:
        value = str(value)
    return conditional_escape(value)


def _cells(row, columns, fixed, card):
    for column in columns:
        value = row.get_cell(column.name)
        attrs = fixed.get(column.name)
        if attrs is None:
            column.current_value, column.current_record = value, row.record
            attrs = column.attrs["td"].as_html() + card[column.name]
        yield attrs, _shown(value, column.localize)


def _card_attrs(table, columns) -> dict[str, str]:
    roles = card_of(table).roles()
    return {
        column.name: (
            format_html(' data-card="{}" data-label="{}"', roles[column.name], column.header)
            if column.name in roles
            else mark_safe("")  # noqa: S308 (empty): added to a cell's safe attributes
        )
        for column in columns
    }


@register.simple_tag
def table_body(table):
    columns = list(table.columns)
    card = _card_attrs(table, columns)
    fixed = {}
    for column in columns:
        if not _computes_from_row(column.column.attrs) and not _computes_from_row(table.attrs):
            fixed[column.name] = column.attrs["td"].as_html() + card[column.name]
    rows = (_Row(record, table=table) for record in table.paginated_rows.data)
    return format_html_join(
        "",
        "<tr {}>{}</tr>",
        (
            (
                row.attrs.as_html(),
                format_html_join("", "<td {}>{}</td>", _cells(row, columns, fixed, card)),
            )
            for row in rows
        ),
    )


@register.simple_tag
def filters_in_use(filterset) -> bool:
    """Whether a filter past the first (the search box) holds a value: its fold then opens."""
    form = filterset.form
    data = form.data if form.is_bound else {}
    return any(data.get(field.html_name) for field in form.visible_fields()[1:])


@register.filter(name="quoted_name")
def quoted_name_filter(value) -> str:
    """A name to put inside “…” (``core.forms.quoted_name``)."""
    return quoted_name(value)
