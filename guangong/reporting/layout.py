"""A form's layout — sections holding items — with a report's values beside each item."""

from dataclasses import dataclass, field

from .models import FormItem, FormSection, ItemKind, ReportForm, ReportValue


@dataclass
class Row:
    item: FormItem
    value: ReportValue | None = None
    entered: str = ""  # what the user typed, shown again after an error
    override: bool = False
    error: str = ""
    records_url: str = ""  # the list of what a computed item counts (metrics.records_url)

    @property
    def computed(self) -> bool:
        return self.item.kind == ItemKind.COMPUTED

    @property
    def input_name(self) -> str:
        return f"v_{self.item.code}"

    @property
    def override_name(self) -> str:
        return f"o_{self.item.code}"


@dataclass
class Section:
    section: FormSection
    rows: list[Row] = field(default_factory=list)


def layout(form: ReportForm, values: dict[int, ReportValue] | None = None) -> list[Section]:
    values = values or {}
    sections = {s.pk: Section(s) for s in form.sections.order_by("order", "pk")}
    for item in form.items():
        row = Row(item, values.get(item.pk))
        if row.value is not None:
            row.override = row.value.overridden
            if item.kind == ItemKind.TEXT:
                row.entered = row.value.text
            elif row.value.value is not None:
                row.entered = plain(row.value.value)
        sections[item.section_id].rows.append(row)
    return list(sections.values())


def plain(value) -> str:
    """A stored decimal as typed: 12.00 → 12, 3600.50 → 3600.5."""
    if value is None:
        return ""
    text = f"{value.normalize():f}"
    return text
