"""Filling Word templates in a sandbox.

A template is uploaded by an administrator but filled by the worker, which can read every
organisation's data and the keys of the encrypted fields. Its Jinja therefore runs in
``DocumentSandbox`` (Jinja's ``ImmutableSandboxedEnvironment``) and sees only the document's
own context: no globals (``cycler``, ``namespace``, ``range``…), attributes only of plain data
(strings, numbers, lists, dicts, the loop) so that an activity's photo does not lead to the
document object behind it, never a private attribute, and no repetition that would fill the
memory.

``check_upload`` refuses a template unless every part of it (body, headers, footers,
footnotes, document properties) parses, uses only the names of its kind, and renders in the
sandbox against sample data; ``fill`` renders a stored template in the same sandbox and, should
that fail, ``diagnose`` names the tag at fault. Tags are counted in the order docxtpl renders
the parts, so “第3处标签” is the third tag of the document as Word shows it.
"""

import html
import io
import re
import zipfile
from collections.abc import Iterator

from django.utils.translation import gettext as _
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, TemplateSyntaxError, meta, nodes
from jinja2.exceptions import UndefinedError
from jinja2.runtime import LoopContext
from jinja2.sandbox import (
    UNSAFE_ASYNC_GENERATOR_ATTRIBUTES,
    UNSAFE_COROUTINE_ATTRIBUTES,
    UNSAFE_FUNCTION_ATTRIBUTES,
    UNSAFE_GENERATOR_ATTRIBUTES,
    UNSAFE_METHOD_ATTRIBUTES,
    ImmutableSandboxedEnvironment,
    SecurityError,
)
from PIL import Image

from .models import DocumentKind

#: The only objects whose attributes a template may read.
PLAIN_DATA = (str, int, float, list, tuple, dict, LoopContext)
UNSAFE_NAMES = (
    UNSAFE_FUNCTION_ATTRIBUTES
    | UNSAFE_METHOD_ATTRIBUTES
    | UNSAFE_GENERATOR_ATTRIBUTES
    | UNSAFE_COROUTINE_ATTRIBUTES
    | UNSAFE_ASYNC_GENERATOR_ATTRIBUTES
)
MAX_REPEAT = 100_000  # characters or items a ``*`` may produce
MAX_EXPONENT = 64
MAX_BASE_BITS = 256
MAX_UNPACKED = 50 * 1024 * 1024  # bytes of an uploaded template once unzipped
TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
UNSAFE_MESSAGE = re.compile(r"attribute '([^']*)'")
#: docxtpl renders these document properties as templates too.
PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
TAG_SHOWN = 80
BLOCK_WORD = re.compile(r"\{%-?\s*(\w+)")
BLOCK_OPENERS = {"for", "if", "macro", "call", "filter", "with", "autoescape", "raw", "block"}
#: Filters that read an attribute named in a string (``attr('x')``, ``map(attribute='x')``).
ATTRIBUTE_FILTERS = {
    "attr",
    "map",
    "selectattr",
    "rejectattr",
    "sort",
    "groupby",
    "sum",
    "unique",
    "min",
    "max",
}


class DocumentSandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def __init__(self):
        super().__init__(undefined=StrictUndefined, autoescape=True)
        self.globals.clear()

    def is_safe_attribute(self, obj, attr: str, value) -> bool:
        return isinstance(obj, PLAIN_DATA) and super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context, operator: str, left, right):
        if operator == "**" and isinstance(right, int | float) and isinstance(left, int | float):
            huge_base = isinstance(left, int) and left.bit_length() > MAX_BASE_BITS
            if huge_base or abs(right) > MAX_EXPONENT:
                raise SecurityError("the power is too large")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                sized = isinstance(seq, str | list | tuple) and isinstance(times, int)
                if sized and len(seq) * times > MAX_REPEAT:
                    raise SecurityError("the repetition is too long")
        return super().call_binop(context, operator, left, right)


class PhotoStandIn:
    """An activity's photo where no image is inserted (while a template is diagnosed)."""

    def __html__(self) -> str:
        return ""

    def __str__(self) -> str:
        return ""


def _sample_png() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 200, 200)).save(out, format="PNG")
    out.seek(0)
    return out


def sample_context(kind: str, tpl: DocxTemplate | None = None) -> dict:
    """Data of the shape ``render.bulletin_context`` / ``summary_context`` give, to try an
    uploaded template on (with a real photo when ``tpl`` is given)."""
    photo = InlineImage(tpl, _sample_png(), width=Mm(40)) if tpl is not None else PhotoStandIn()
    activity = {
        "title": "示例活动",
        "date": "2025年1月1日",
        "summary": "示例活动摘要。",
        "photo": photo,
        "photo_path": "",
    }
    sections = [
        {
            "heading": "【工作动态】",
            "paragraphs": ["示例段落。"],
            "activities": [activity] if kind == DocumentKind.BULLETIN else [],
        }
    ]
    if kind == DocumentKind.SUMMARY:
        return {
            "title": "示例总结",
            "issued_by": "示例关工委",
            "date": "2025年1月1日",
            "sections": sections,
        }
    return {
        "name": "示例关心下一代工作简报",
        "issue_no": 1,
        "cumulative_no": 1,
        "issued_by": "示例关工委",
        "date": "2025年1月1日",
        "title": "示例标题",
        "sections": sections,
        "report_to": "示例",
        "send_to": "示例",
        "issue_to": "示例",
    }


def _without_photos(value):
    if isinstance(value, InlineImage):
        return PhotoStandIn()
    if isinstance(value, dict):
        return {k: _without_photos(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_photos(v) for v in value]
    return value


def sources(tpl: DocxTemplate) -> Iterator[str]:
    """The Jinja source of every part docxtpl renders, in its order."""
    docx = tpl.get_docx()
    yield tpl.patch_xml(tpl.get_xml())
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for _key, part in tpl.get_headers_footers(uri):
            yield tpl.patch_xml(tpl.get_part_xml(part))
    for name in PROPERTIES:
        yield getattr(docx.core_properties, name) or ""
    for part in docx.part.package.parts:
        if part.content_type == FOOTNOTES:
            blob = part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob
            yield tpl.patch_xml(blob)


def _numbered(source: str) -> tuple[str, list[str]]:
    """``source`` with every tag on a line of its own (tag i on line i + 2) and the tags."""
    flat = source.replace("\r", " ").replace("\n", " ")
    tags = [html.unescape(m.group(0)) for m in TAG.finditer(flat)]
    return TAG.sub(lambda m: "\n" + m.group(0), flat), tags


def _template_line(exc: BaseException) -> int | None:
    line, tb = None, exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _unsafe(name: str) -> bool:
    return name.startswith("_") or name in UNSAFE_NAMES


def _unsafe_filter_argument(node: nodes.Filter) -> str | None:
    if node.name not in ATTRIBUTE_FILTERS:
        return None
    for arg in [*node.args, *(kw.value for kw in node.kwargs)]:
        if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
            for part in arg.value.split("."):
                if _unsafe(part):
                    return part
    return None


def _reaches_in(name: str) -> str:
    return _("it reaches into the program behind the document (%(name)s).") % {"name": name}


def _static_problem(tree: nodes.Template, allowed: set[str]) -> tuple[int, str] | None:
    """The first tag that names something outside the document, found without running it (so
    also in a branch the sample data would not take)."""
    unknown = meta.find_undeclared_variables(tree) - allowed
    found = []
    for node in tree.find_all((nodes.Name, nodes.Getattr, nodes.Getitem, nodes.Filter)):
        if isinstance(node, nodes.Name) and node.ctx == "load" and node.name in unknown:
            reason = _("%(name)s is not one of the names this template may use.") % {
                "name": node.name
            }
            found.append((node.lineno, reason))
        elif isinstance(node, nodes.Getattr) and _unsafe(node.attr):
            found.append((node.lineno, _reaches_in(node.attr)))
        elif (
            isinstance(node, nodes.Getitem)
            and isinstance(node.arg, nodes.Const)
            and isinstance(node.arg.value, str)
            and _unsafe(node.arg.value)
        ):
            found.append((node.lineno, _reaches_in(node.arg.value)))
        elif isinstance(node, nodes.Filter) and (name := _unsafe_filter_argument(node)):
            found.append((node.lineno, _reaches_in(name)))
    for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        found.append((node.lineno, _("it loads other templates.")))
    return min(found, key=lambda item: item[0]) if found else None


def _runtime_reason(exc: Exception) -> str:
    if isinstance(exc, SecurityError):
        match = UNSAFE_MESSAGE.search(str(exc))
        if match:
            return _reaches_in(match.group(1))
        return _("it would produce an overly large result.")
    if isinstance(exc, UndefinedError):
        return _("it names something the document does not have.")
    return _("it cannot be filled with the document's data.")


def _tag_message(number: int, tag: str, reason: str) -> str:
    shown = tag if len(tag) <= TAG_SHOWN else tag[: TAG_SHOWN - 1] + "…"
    return _("Tag %(n)d of the template, %(tag)s, is not allowed: %(reason)s") % {
        "n": number,
        "tag": shown,
        "reason": reason,
    }


def _unclosed(tags: list[str]) -> int | None:
    """The index of the innermost block tag (``{% for %}``, ``{% if %}``…) left open."""
    stack = []
    for index, tag in enumerate(tags):
        match = BLOCK_WORD.match(tag)
        if match is None:
            continue
        word = match.group(1)
        if word in BLOCK_OPENERS or (word == "set" and "=" not in tag):
            stack.append(index)
        elif word.startswith("end") and stack:
            stack.pop()
    return stack[-1] if stack else None


def _syntax_problem(exc: TemplateSyntaxError, seen: int, tags: list[str]) -> str:
    if not tags:
        return _("The file is not a usable Word template: a tag is not closed.")
    open_block = _unclosed(tags) if "end of template" in (exc.message or "") else None
    if open_block is not None:
        return _(
            "The file is not a usable Word template: tag %(n)d, %(tag)s, has no closing tag."
        ) % {"n": seen + open_block + 1, "tag": tags[open_block]}
    number, tag = _at(seen, tags, exc.lineno)
    return _(
        "The file is not a usable Word template: tag %(n)d, %(tag)s, is written incorrectly."
    ) % {
        "n": number,
        "tag": tag,
    }


def _at(seen: int, tags: list[str], line: int | None) -> tuple[int, str]:
    """(number in the document, text) of the tag on ``line`` of a numbered part."""
    index = min(max((line or 2) - 2, 0), max(len(tags) - 1, 0))
    return seen + index + 1, tags[index] if tags else ""


def diagnose(parts: list[str], context: dict, allowed: set[str] | None = None) -> str | None:
    """A message naming the first tag of ``parts`` (see ``sources``) that does not parse,
    names what the document does not have, or fails in the sandbox against ``context``; None
    if every tag is fine."""
    env = DocumentSandbox()
    context = _without_photos(context)
    allowed = set(context) if allowed is None else allowed
    seen = 0
    for source in parts:
        numbered, tags = _numbered(source)
        try:
            tree = env.parse(numbered)
        except TemplateSyntaxError as exc:
            return _syntax_problem(exc, seen, tags)
        problem = _static_problem(tree, allowed)
        if problem is not None:
            return _tag_message(*_at(seen, tags, problem[0]), problem[1])
        try:
            env.from_string(tree).render(context)
        except Exception as exc:  # the template's fault: its data is ours
            return _tag_message(*_at(seen, tags, _template_line(exc)), _runtime_reason(exc))
        seen += len(tags)
    return None


def fill(tpl: DocxTemplate, context: dict) -> None:
    """Render ``tpl`` with ``context`` in the sandbox (docxtpl renders every part with it)."""
    tpl.render(context, jinja_env=DocumentSandbox(), autoescape=True)


def explain(data: bytes, context: dict) -> str:
    """Why a stored template could not be filled with ``context``."""
    try:
        parts = list(sources(DocxTemplate(io.BytesIO(data))))
    except Exception:  # not a zip, not a Word document: python-docx raises several kinds
        return _("The file is not a usable Word template: it cannot be opened as a Word document.")
    return diagnose(parts, context) or _("it cannot be filled with the document's data.")


def check_upload(data: bytes, kind: str) -> str | None:
    """Why an uploaded template cannot be used, or None: every tag is checked on its own, then
    the whole document is filled with sample data (a photo included) as it would be."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED:
            return _("The file is not a usable Word template: it unpacks to too much data.")
        parts = list(sources(DocxTemplate(io.BytesIO(data))))
    except Exception:  # not a zip, not a Word document: python-docx raises several kinds
        return _("The file is not a usable Word template: it cannot be opened as a Word document.")
    problem = diagnose(parts, sample_context(kind))
    if problem is not None:
        return problem
    tpl = DocxTemplate(io.BytesIO(data))
    try:
        fill(tpl, sample_context(kind, tpl))
        tpl.save(io.BytesIO())
    except Exception:  # the template's fault: the sample data is ours
        return _("The template cannot be filled with sample data; check its tags.")
    return None
