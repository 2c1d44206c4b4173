"""The section editor of bulletins and summaries, without scripts.

The page posts every section at once — ``sections`` (how many), then per section ``s<i>-heading``,
``s<i>-p`` (one value per paragraph textarea, in order) and, for bulletins, ``s<i>-act`` (the
chosen activity ids). A button named ``op`` says what to do: ``save``, or an edit of the
structure (``add-section``, ``remove-section:<i>``, ``up:<i>``, ``down:<i>``,
``add-paragraph:<i>``, ``remove-paragraph:<i>:<j>``, ``stats:<i>``) after which the page is
shown again, unsaved, with the change made.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from guangong.core.ids import parse_ids
from guangong.core.periods import Period
from guangong.stats.trace import activities_url

from .services import MAX_SECTIONS, clean_source

#: Headings the genre uses, offered while typing a section's heading.
SUGGESTED_HEADINGS = ["【工作动态】", "【基层经验】", "【关工信息】", "【典型风采】"]
MAX_PARAGRAPHS = 60


@dataclass
class Op:
    name: str
    section: int | None = None
    paragraph: int | None = None


def parse_op(value: str) -> Op:
    parts = (value or "save").split(":")
    numbers = [int(p) for p in parts[1:3] if p.isascii() and p.isdigit()]
    return Op(parts[0], *numbers)


def posted_sections(data, *, with_activities: bool) -> list[dict]:
    """The sections as posted, in order (empty paragraphs kept, so a new one stays on screen)."""
    try:
        count = min(int(data.get("sections", 0)), MAX_SECTIONS + 1)
    except (TypeError, ValueError):
        count = 0
    sections = []
    for i in range(count):
        section = {
            "heading": data.get(f"s{i}-heading", ""),
            "paragraphs": data.getlist(f"s{i}-p")[:MAX_PARAGRAPHS],
        }
        if with_activities:
            section["activities"] = [str(pk) for pk in parse_ids(data.getlist(f"s{i}-act"))]
        key = data.get(f"s{i}-key")
        if key:
            section["key"] = key
        source = clean_source(data.get(f"s{i}-source"))
        if source:
            section["source"] = source
        sections.append(section)
    return sections


def source_value(source: dict | None) -> str:
    return f"{source['org']},{source['from']},{source['to']}" if source else ""


def apply(op: Op, sections: list[dict], *, statistics=None, source=None) -> str | None:
    """Make the structural change ``op`` asks for; returns a message for the user, if any.

    ``statistics`` gives the paragraphs to insert for ``stats:<i>``; ``source`` (the
    organisation and period they count) is kept with the section, so that the printed
    figures can be traced to their records.
    """
    i, n = op.section, len(sections)
    if op.name == "add-section":
        if n >= MAX_SECTIONS:
            return _("At most %(n)d sections.") % {"n": MAX_SECTIONS}
        sections.append({"heading": "", "paragraphs": [""], "activities": []})
        return None
    if i is None or not 0 <= i < n:
        return None
    section = sections[i]
    if op.name == "remove-section":
        sections.pop(i)
    elif op.name == "up" and i > 0:
        sections[i - 1], sections[i] = sections[i], sections[i - 1]
    elif op.name == "down" and i < n - 1:
        sections[i + 1], sections[i] = sections[i], sections[i + 1]
    elif op.name == "add-paragraph":
        if len(section["paragraphs"]) >= MAX_PARAGRAPHS:
            return _("At most %(n)d paragraphs in a section.") % {"n": MAX_PARAGRAPHS}
        section["paragraphs"].append("")
    elif op.name == "remove-paragraph" and op.paragraph is not None:
        if 0 <= op.paragraph < len(section["paragraphs"]):
            section["paragraphs"].pop(op.paragraph)
    elif op.name == "stats" and statistics is not None:
        kept = [p for p in section["paragraphs"] if p.strip()]
        section["paragraphs"] = kept + list(statistics())
        if source:
            section["source"] = source
        if not section["heading"].strip():
            section["heading"] = "【关工信息】"
    return None


def records_url(source: dict | None) -> str:
    """The activity list the section's figures were counted from."""
    if not source:
        return ""
    period = Period(
        datetime.date.fromisoformat(source["from"]), datetime.date.fromisoformat(source["to"])
    )
    return activities_url(source["org"], period)


def for_display(sections: list[dict], activities: dict | None = None) -> list[dict]:
    """Sections as the editor shows them: at least one paragraph box each, and the chosen
    activities as objects (those the user may see)."""
    shown = []
    for i, section in enumerate(sections):
        entry = {
            "index": i,
            "heading": section.get("heading", ""),
            "key": section.get("key", ""),
            "paragraphs": list(section.get("paragraphs") or []) or [""],
            "source": source_value(section.get("source")),
            "records_url": records_url(section.get("source")),
        }
        if activities is not None:
            entry["activities"] = [
                activities[int(pk)] for pk in section.get("activities", []) if int(pk) in activities
            ]
        shown.append(entry)
    return shown
