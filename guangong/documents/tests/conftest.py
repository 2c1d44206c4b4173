"""A county's year of work (activities with elders, a care case, coverage, leadership), a
summary to edit, and readers of generated files."""

import datetime
import io

import pytest
from docx import Document

from guangong.activities.tests.conftest import (
    record,
    types,  # noqa: F401  (fixture)
)
from guangong.care.tests.conftest import a_care, open_case  # noqa: F401  (fixture)
from guangong.core.periods import Period
from guangong.dicts.models import DictItem, DictKind
from guangong.documents import services
from guangong.documents.models import Bulletin
from guangong.people.tests.conftest import (  # noqa: F401  (fixtures)
    a_revealer,
    categories,
    people,
)

YEAR = Period.year(2025)


def docx_text(content: bytes) -> str:
    return "".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def new_bulletin(actor, org, date, title, **fields) -> Bulletin:
    """A bulletin saved through the service."""
    return services.save_bulletin(
        actor, Bulletin(organization=org, date=date, title=title, **fields)
    )


@pytest.fixture
def a_summary(tree, a_admin):
    return services.create_summary(a_admin, tree.county_a, YEAR)


def activity_type(label):
    return DictItem.objects.get(kind=DictKind.ACTIVITY_TYPE, label=label)


@pytest.fixture
def year_of_work(tree, roster, city_admin, people, a_care):  # noqa: F811
    """2025: 62 talks (6213 participants) and 25 lectures; 2024: 31 talks (for 同比)."""
    elder = people["county_a"].elder
    talk, lecture = activity_type("主题宣讲"), activity_type("技能培训/讲座")
    participants = [100] * 61 + [113]
    for i, n in enumerate(participants):
        day = datetime.date(2025, 1 + i % 12, 1 + i % 27)
        record(
            city_admin,
            tree.township,
            talk,
            day=day,
            participants=n,
            title=f"“五老”进企业宣讲{i}",
            elders={elder: 2} if i < 10 else None,
        )
    for i in range(25):
        record(
            city_admin,
            tree.county_a,
            lecture,
            day=datetime.date(2025, 3 + i % 9, 10 + i // 9),  # one lecture a day
            participants=34 if i else 19,
            title=f"技术讲座{i}",
        )
    for i in range(31):
        record(
            city_admin,
            tree.county_a,
            talk,
            day=datetime.date(2024, 1 + i % 12, 5 + i // 12),  # one talk a day
            participants=50,
        )
    open_case(a_care, people["county_a"], "助学", opened_on=datetime.date(2025, 9, 1))
    return tree
