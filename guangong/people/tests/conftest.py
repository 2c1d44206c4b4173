"""People in the fixture tree, made through the services as the pages would make them.

At county A, at the township below it and at sibling county B (see guangong/conftest.py): one
elder (五老), one young person (a minor), a team led by the elder, and a mentorship of the two.
Every name and every masked ID number is distinct and no name is a substring of another, so
"this string is not in the response" is a sound leak test.
"""

import datetime
from dataclasses import dataclass

import pytest

from guangong.accounts.roles import Role
from guangong.accounts.tests.factories import user_fixture
from guangong.core import idnumber
from guangong.core.tests.support import CJK, SEES, zh
from guangong.dicts.models import DictItem, DictKind
from guangong.people.models import Elder, Mentorship, Team, Youth
from guangong.people.services.mentorships import save_mentorship
from guangong.people.services.persons import save_person
from guangong.people.services.teams import save_team

#: Where people are placed, with (elder, young person, team) names and the region code and
#: sequence numbers of their ID numbers.
PLACES = {
    "county_a": ("阿依古丽", "程小雨", "甲县宣讲团", "654002", "101"),
    "township": ("艾尔肯", "范思远", "街道关爱队", "654002", "303"),
    "county_b": ("巴图尔", "丁晓梅", "乙县宣讲团", "654003", "505"),
}
PLACE_KEYS = tuple(PLACES)
ELDER_BIRTH = "19520314"
BIRTH_DATE = datetime.date(1952, 3, 14)  # the elders' birth date, as a date
YOUTH_BIRTH = "20150621"


def make_id(region: str = "654002", birth: str = "19550307", seq: str = "123") -> str:
    first = region + birth + seq
    return first + idnumber.checksum_char(first)


def item(kind: str, label: str) -> DictItem:
    """A built-in item (the seed migration's; made again where a transactional test flushed
    the tables)."""
    return DictItem.objects.get_or_create(kind=kind, label=label)[0]


def sees(persona: str, place: str) -> bool:
    from guangong.core.tests.support import ORG_KEYS

    return SEES[persona][ORG_KEYS.index(place)]


def seen_places(persona: str) -> set[str]:
    return {p for p in PLACE_KEYS if sees(persona, p)}


def assert_chinese(message: str, msgid: str | None = None) -> None:
    """``message`` reads in Chinese. A message of ours whose catalogue entry is still to be
    added (the lead adds new msgids) makes the test xfail rather than pass unnoticed."""
    if CJK.search(message):
        return
    if msgid is not None and zh(msgid) == msgid:
        pytest.xfail(f"zh catalogue has no entry yet for {msgid!r}")
    raise AssertionError(f"not Chinese: {message!r}")


@dataclass
class Place:
    key: str
    elder: Elder
    youth: Youth
    team: Team
    mentorship: Mentorship
    elder_id: str
    youth_id: str

    def words(self) -> set[str]:
        """What must not reach anyone who does not see this place."""
        return {
            self.elder.name,
            self.youth.name,
            self.team.name,
            self.elder.id_number_masked,
            self.youth.id_number_masked,
        }


@dataclass
class People:
    places: dict[str, Place]

    def __getitem__(self, key: str) -> Place:
        return self.places[key]

    def unseen_words(self, persona: str) -> set[str]:
        words = set()
        for key, place in self.places.items():
            if not sees(persona, key):
                words |= place.words()
        return words

    def clear_ids(self) -> set[str]:
        return {w for p in self.places.values() for w in (p.elder_id, p.youth_id)}


def assert_no_people_leak(body: str, people: People, persona: str) -> None:
    leaked = sorted(w for w in people.unseen_words(persona) if w in body)
    assert not leaked, f"people outside {persona}'s scope in the response: {leaked}"


def assert_no_clear_id(body: str, people: People) -> None:
    leaked = sorted(w for w in people.clear_ids() if w in body)
    assert not leaked, f"clear ID numbers in the response: {leaked}"


@pytest.fixture
def categories(db) -> dict[str, DictItem]:
    return {
        "cadre": item(DictKind.ELDER_CATEGORY, "老干部"),
        "teacher": item(DictKind.ELDER_CATEGORY, "老教师"),
        "expert": item(DictKind.ELDER_CATEGORY, "老专家"),
        "left_behind": item(DictKind.YOUTH_CATEGORY, "留守儿童"),
        "student": item(DictKind.YOUTH_CATEGORY, "在校学生"),
        "talk": item(DictKind.TEAM_KIND, "宣讲团"),
        "care": item(DictKind.TEAM_KIND, "志愿服务队"),
        "goal_law": item(DictKind.MENTORSHIP_GOAL, "学法律"),
        "goal_skill": item(DictKind.MENTORSHIP_GOAL, "学技术"),
        "outcome_job": item(DictKind.MENTORSHIP_OUTCOME, "就业"),
    }


@pytest.fixture
def people(tree, city_admin, categories) -> People:
    places = {}
    for key, (elder_name, youth_name, team_name, region, seq) in PLACES.items():
        org = tree[key]
        elder_id = make_id(region, ELDER_BIRTH, seq)
        youth_id = make_id(region, YOUTH_BIRTH, str(int(seq) + 2))
        elder = save_person(
            city_admin,
            Elder(organization=org, name=elder_name, phone=f"139{seq}0{seq}1"[:11]),
            id_number=elder_id,
            m2m={"categories": [categories["teacher"]]},
        )
        youth = save_person(
            city_admin,
            Youth(
                organization=org,
                name=youth_name,
                category=categories["left_behind"],
                guardian_name=f"{youth_name[0]}监护",
                guardian_phone=f"138{seq}0{seq}2"[:11],
                guardian_relation="母亲",
            ),
            id_number=youth_id,
        )
        team = save_team(
            city_admin,
            Team(organization=org, name=team_name, kind=categories["talk"], leader=elder),
            members=[elder],
        )
        mentorship = new_mentorship(
            city_admin,
            org,
            elder,
            youth,
            datetime.date(2024, 3, 1),
            goals=[categories["goal_law"]],
        )
        places[key] = Place(key, elder, youth, team, mentorship, elder_id, youth_id)
    return People(places)


#: A care worker at county A: view, edit and reveal.
a_revealer = user_fixture("a_revealer", "county_a", Role.CARE_WORKER)
b_revealer = user_fixture("b_revealer", "county_b", Role.CARE_WORKER)


def elder_of(org, name: str, born=datetime.date(1950, 1, 1), sex: str = "M", **fields) -> Elder:
    """An elder of ``org`` as the form makes one, by name, birth date and sex (not saved)."""
    return Elder(organization=org, name=name, birth_date=born, sex=sex, **fields)


def youth_of(
    org, name: str, category, born=datetime.date(2000, 6, 1), sex: str = "M", **fields
) -> Youth:
    """A young person of ``org`` in ``category`` (an adult unless ``born`` says not; not
    saved)."""
    return Youth(organization=org, name=name, category=category, birth_date=born, sex=sex, **fields)


def new_mentorship(actor, org, elder, youth, start, end=None, **items) -> Mentorship:
    """A mentorship saved through the service (``items``: its goals / outcomes)."""
    return save_mentorship(
        actor,
        Mentorship(organization=org, elder=elder, youth=youth, start_date=start, end_date=end),
        **items,
    )


def twin_elders(actor, first_org, second_org, name: str = "王五", birth=datetime.date(1950, 1, 1)):
    """Two records with the same name and birth date (the second confirmed at entry)."""
    first = save_person(actor, elder_of(first_org, name, birth))
    second = save_person(actor, elder_of(second_org, name, birth), allow_same_name=True)
    return first, second


def namesake(actor, org) -> Elder:
    """Another record of the elders' 阿依古丽 (same name and birth date) at ``org``, confirmed
    at entry."""
    return save_person(actor, elder_of(org, "阿依古丽", BIRTH_DATE), allow_same_name=True)


@pytest.fixture
def twin(tree, people, city_admin):
    """County B's second record of county A's elder (same name and birth date, confirmed)."""
    return namesake(city_admin, tree.county_b)


def new_youth(actor, org, categories, name: str = "新少年") -> Youth:
    """A schoolgirl registered without an ID number."""
    return save_person(
        actor,
        Youth(
            organization=org,
            name=name,
            sex="F",
            birth_date=datetime.date(2012, 1, 1),
            category=categories["student"],
        ),
    )
