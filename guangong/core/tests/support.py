"""What the test modules share besides fixtures: the fixture tree's shape, the scope matrix and
small helpers for reading responses."""

import io
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import HealthCheck, settings
from openpyxl import load_workbook

from guangong.orgs.forms import OrganizationForm
from guangong.orgs.models import Organization

#: Keys of the fixture tree's organisations, top down (see guangong/conftest.py).
ORG_KEYS = ("province", "city", "county_a", "county_b", "township", "enterprise")

#: Which organisations of the fixture tree each persona sees: their own and everything below.
#:
#:            province city   county_a county_b township enterprise
SEES = {
    "city": (False, True, True, True, True, True),
    "a": (False, False, True, False, True, True),
    "b": (False, False, False, True, False, False),
}

#: Each organisation of the fixture tree and everything below it.
SUBTREE = {
    "province": set(ORG_KEYS),
    "city": {"city", "county_a", "county_b", "township", "enterprise"},
    "county_a": {"county_a", "township", "enterprise"},
    "county_b": {"county_b"},
    "township": {"township", "enterprise"},
    "enterprise": {"enterprise"},
}

#: The leadership member the ``roster`` fixture seats on each organisation of the tree.
ROSTER_NAMES = {
    "province": "吐尔逊",
    "city": "热依拉",
    "county_a": "马晓燕",
    "county_b": "王建国",
    "township": "阿不都",
    "enterprise": "李秀兰",
}

#: The direct children of each organisation of the fixture tree.
CHILDREN = {
    "province": {"city"},
    "city": {"county_a", "county_b"},
    "county_a": {"township"},
    "county_b": set(),
    "township": {"enterprise"},
    "enterprise": set(),
}

#: The fields of the organisation form, in its order.
ORG_FORM_FIELDS = tuple(OrganizationForm.Meta.fields)

CJK = re.compile(r"[\u4e00-\u9fff]")


def seen_keys(persona: str) -> set[str]:
    return {key for key, seen in zip(ORG_KEYS, SEES[persona], strict=True) if seen}


def unseen_keys(persona: str) -> set[str]:
    return set(ORG_KEYS) - seen_keys(persona)


def scope_matrix():
    """(persona, organisation key, seen) for every persona and every organisation of the tree."""
    return [
        (persona, key, seen)
        for persona, row in SEES.items()
        for key, seen in zip(ORG_KEYS, row, strict=True)
    ]


def unseen_words(tree, persona: str) -> set[str]:
    """Every name that must not appear in anything the persona gets: the names and short names
    of the organisations they do not see, and the leadership members seated there."""
    words = set()
    for key in unseen_keys(persona):
        org = tree[key]
        words.update(w for w in (org.name, org.short_name, ROSTER_NAMES[key]) if w)
    return words


def assert_no_leak(body: str, tree, persona: str) -> None:
    leaked = sorted(word for word in unseen_words(tree, persona) if word in body)
    assert not leaked, f"names outside {persona}'s scope in the response: {leaked}"


def matrix_id(value) -> str:
    if isinstance(value, bool):
        return "seen" if value else "404"
    return str(value)


#: Parametrizes a test over every persona and every organisation of the tree:
#: ``persona``, ``key`` and whether the persona sees it (``seen``).
MATRIX = pytest.mark.parametrize(("persona", "key", "seen"), scope_matrix(), ids=matrix_id)
#: Parametrizes a test over the three personas of ``SEES``.
PERSONAS = pytest.mark.parametrize("persona", list(SEES))


@dataclass
class Tree:
    province: Organization
    city: Organization
    county_a: Organization
    county_b: Organization
    township: Organization
    enterprise: Organization

    def __getitem__(self, key: str) -> Organization:
        return getattr(self, key)

    def names(self, keys=ORG_KEYS) -> set[str]:
        return {self[k].name for k in keys}

    def refresh(self) -> "Tree":
        for key in ORG_KEYS:
            self[key].refresh_from_db()
        return self


def org_form_data(org: Organization, **changes) -> dict:
    """What the edit form posts back for ``org``, with ``changes``."""
    data = {}
    for name in ORG_FORM_FIELDS:
        value = getattr(org, name)
        data[name] = value.isoformat() if hasattr(value, "isoformat") else (value or "")
    data.update(changes)
    return data


def text(response) -> str:
    return response.content.decode()


def xlsx_rows(response) -> list[tuple]:
    """The rows of the first sheet of an .xlsx response, header first."""
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def zh(message: str, **params) -> str:
    """``message`` as a Chinese-speaking user reads it (whatever the catalogue holds)."""
    with translation.override("zh-hans"):
        translated = translation.gettext(message)
    return translated % params if params else translated


def changed(record) -> dict:
    """An audit record's changes as {field: (before, after)} (PostgreSQL's jsonb does not keep
    the order of keys)."""
    return {name: (before, after) for name, before, after in record.changes}


def field_errors(response, field: str) -> list[str]:
    """The errors of one field of the form a page rendered."""
    return list(response.context["form"].errors.get(field, []))


def require_programs(*programs: str, package: str) -> None:
    """Fail (never skip) when a system program a test needs is missing: `make test` installs it."""
    import shutil

    import pytest

    missing = [name for name in programs if not shutil.which(name)]
    if missing:
        pytest.fail(
            f"{', '.join(missing)} not found: run `make system` or `apt-get install {package}`",
            pytrace=False,
        )


def page_body(response) -> bytes:
    """The body with the request's own id taken out, to compare two answers (say a missing and
    an out-of-scope record) that must read the same."""
    request_id = response.get("X-Request-ID", "")
    body = response.content
    return body.replace(request_id.encode(), b"<request id>") if request_id else body


#: The project's root (where manage.py is).
PROJECT_ROOT = Path(__file__).resolve().parents[3]
#: The variables the settings read, which a start-up test sets itself.
START_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "GUANGONG_ENV",
    "DATABASE_URL",
    "REDIS_URL",
    "FIELD_ENCRYPTION_KEYS",
    "FIELD_HASH_KEY",
}


def start_django(tmp_path, starts: bool, **env) -> subprocess.CompletedProcess:
    """Load the settings and set Django up in a fresh interpreter with exactly ``env``, and
    assert it starts (``starts``) or is refused with ImproperlyConfigured."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in START_VARIABLES and not k.startswith("PYTEST")
    }
    clean.update(DJANGO_SETTINGS_MODULE="guangong.settings", GUANGONG_VAR_DIR=str(tmp_path), **env)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=PROJECT_ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    if starts:
        assert result.returncode == 0, result.stderr
    else:
        assert result.returncode != 0
        assert "ImproperlyConfigured" in result.stderr
    return result


def examples(count: int):
    """Hypothesis settings of a property test over the database: ``count`` examples, no
    deadline, the function-scoped fixtures shared by all examples (each rolls itself back)."""
    return settings(
        max_examples=count,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


class Materialised(BaseException):
    """Raised by ``spy_on_rows`` when a reader hands over the rows of a gap (not an
    Exception, so that no fallback swallows it)."""


def spy_on_rows(monkeypatch, importer_class) -> list[int]:
    """The numbers of the rows ``importer_class`` is handed, as it is handed them; far more
    than a sheet holds raises Materialised."""
    converted = []
    original = importer_class._convert

    def spy(self, number, raw, plan, absent):
        converted.append(number)
        if len(converted) > 1000:
            raise Materialised(f"row {number} made up")
        return original(self, number, raw, plan, absent)

    monkeypatch.setattr(importer_class, "_convert", spy)
    return converted


def row_of(importer_class, **cells) -> list:
    """A row of ``importer_class``'s template: each column's cell by its field (None where
    ``cells`` has none)."""
    return [cells.get(column.field) for column in importer_class.columns]
