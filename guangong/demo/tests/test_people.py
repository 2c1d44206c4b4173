"""The people of the demo region: deterministic, valid ID numbers, plausible ages and pairings."""

import datetime
import re
from collections import Counter

import pytest
from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from guangong.audit.models import AuditLog
from guangong.core import crypto, idnumber
from guangong.core.pinyin import search_key
from guangong.core.validators import validate_mobile, validate_phone
from guangong.demo.builder import REFERENCE_DATE
from guangong.demo.loader import load
from guangong.demo.people_data import TEAM_KINDS
from guangong.demo.tests.shared import region_fixture
from guangong.orgs.models import REGION_KINDS, Kind, Organization
from guangong.people.models import Elder, Mentorship, MentorshipVisit, Team, Youth, age_on

pytestmark = pytest.mark.django_db


small = region_fixture(1)


def test_small_scale_counts(small):
    people = Elder.objects.count() + Youth.objects.count()
    assert 1300 <= people <= 1700
    assert people == small.elders + small.youth
    assert 0.25 < Elder.objects.count() / people < 0.45
    assert Team.objects.count() == small.teams > 0
    assert Mentorship.objects.count() == small.mentorships > 0
    assert MentorshipVisit.objects.count() == small.visits > 0
    log = AuditLog.objects.get()
    assert str(small.elders) in log.message and str(small.youth) in log.message


def test_id_numbers_are_valid_unique_and_match_the_person(small):
    for model in (Elder, Youth):
        rows = list(model.objects.select_related("organization"))
        hashes = [p.id_number_hash for p in rows]
        assert all(hashes) and len(hashes) == len(set(hashes))
        for person in rows[::7]:
            value = crypto.decrypt(person.id_number_enc)
            idnumber.validate_id_number(value)
            assert person.id_number_hash == crypto.blind_index(value)
            assert person.id_number_masked == idnumber.mask(value)
            info = idnumber.parse(value)
            assert (info.birth_date, info.sex) == (person.birth_date, person.sex)
            org = person.organization
            assert value[:6] == region_code(org)
            assert person.search_text == search_key(person.name)
            if person.phone:
                validate_mobile(person.phone)


def region_code(org: Organization) -> str:
    """The six-digit code of the nearest region at or above ``org``."""
    node = org
    while node.kind not in REGION_KINDS:
        node = Organization.objects.get_parent(node)
    return node.division_code[:6]


def test_elders_are_plausible(small):
    today = small_today()
    elders = list(Elder.objects.prefetch_related("categories", "specialities"))
    categories = Counter()
    for elder in elders:
        assert 60 <= age_on(elder.birth_date, today) <= 85
        labels = [c.kind for c in elder.categories.all()]
        assert 1 <= len(labels) <= 2 and set(labels) == {"elder_category"}
        categories.update(c.label for c in elder.categories.all())
        assert all(s.kind == "speciality" for s in elder.specialities.all())
        assert elder.specialities.all()
        assert elder.former_unit and elder.former_post
        assert elder.joined_on <= today
    assert set(categories) == {"老干部", "老战士", "老专家", "老教师", "老模范"}
    assert categories["老干部"] > categories["老战士"]
    cpc = sum(e.political_status == "cpc" for e in elders)
    assert cpc > len(elders) * 0.7
    assert sum(e.active for e in elders) > len(elders) * 0.8


def small_today() -> datetime.date:
    """The date the demo data describe (the loader's ``planner.today``)."""
    return min(REFERENCE_DATE, timezone.localdate())


def test_young_people_are_plausible_and_minors_have_guardians(small):
    today = small_today()
    youth = list(Youth.objects.select_related("category", "organization"))
    by_category = Counter(y.category.label for y in youth)
    assert {"青年职工", "在校学生", "留守儿童", "困境儿童", "少数民族青年职工"} <= set(by_category)
    ethnicities = Counter(y.ethnicity for y in youth)
    assert {"汉族", "维吾尔族", "哈萨克族", "回族"} <= set(ethnicities)
    ages = {"留守儿童": (6, 16), "在校学生": (7, 22), "青年职工": (18, 35)}
    for person in youth:
        age = age_on(person.birth_date, today)
        low, high = ages.get(person.category.label, (6, 35))
        assert low <= age <= high, (person.category.label, age)
        if person.category.label == "少数民族青年职工":
            assert person.ethnicity != "汉族"
        if person.is_minor or age < 18:
            assert person.guardian_name and person.guardian_relation
            validate_phone(person.guardian_phone)
        assert person.household_type
    workers = [y for y in youth if y.category.label == "青年职工"]
    enterprise = (Kind.PRIVATE_ENTERPRISE, Kind.STATE_ENTERPRISE, Kind.PARK, Kind.JOINT)
    assert sum(y.organization.kind in enterprise for y in workers) > len(workers) / 2


def test_teams_are_led_by_their_members_from_their_subtree(small):
    teams = list(Team.objects.select_related("organization", "leader__organization", "kind"))
    assert {t.kind.label for t in teams} <= set(TEAM_KINDS)
    assert {"宣讲团", "志愿服务队"} <= {t.kind.label for t in teams}
    in_teams = set()
    for team in teams:
        assert team.organization.kind in (Kind.CITY, Kind.COUNTY)
        members = list(team.members.select_related("organization"))
        assert team.leader in members
        path = team.organization.path
        assert all(m.organization.path.startswith(path) for m in members)
        assert team.search_text == search_key(team.name)
        in_teams.update(m.pk for m in members)
    assert 0.15 < len(in_teams) / Elder.objects.count() < 0.45


def test_mentorships_respect_the_limit_and_the_dates(small):
    today = small_today()
    active = Counter(Mentorship.objects.active().values_list("elder_id", flat=True)).most_common(1)[
        0
    ][1]
    assert active <= settings.MAX_ACTIVE_MENTEES
    assert Mentorship.objects.ended().exists()
    assert not Mentorship.objects.values("youth_id").annotate(n=Count("pk")).filter(n__gt=1)
    for m in Mentorship.objects.select_related(
        "organization", "elder__organization", "youth__organization"
    ):
        assert m.start_date <= today
        assert m.end_date is None or m.start_date < m.end_date <= today
        path = m.organization.path
        assert m.elder.organization.path.startswith(path)
        assert m.youth.organization.path.startswith(path)
        assert m.goals.exists()
    for visit in MentorshipVisit.objects.select_related("mentorship")[:500]:
        assert visit.mentorship.start_date <= visit.date <= today
        if visit.mentorship.end_date:
            assert visit.date <= visit.mentorship.end_date


def test_max_active_mentees_is_respected(settings):
    settings.MAX_ACTIVE_MENTEES = 1
    load("small", 2, reset=True)  # in place of the module's region
    counts = Counter(Mentorship.objects.active().values_list("elder_id", flat=True))
    assert max(counts.values()) == 1


def test_a_few_same_name_and_birth_date_pairs_across_counties(small):
    pairs = 0
    for model in (Elder, Youth):
        keys = (
            model.objects.values("name", "birth_date")
            .annotate(n=Count("pk"), hashes=Count("id_number_hash", distinct=True))
            .filter(n__gt=1)
        )
        for key in keys:
            assert key["hashes"] == key["n"]  # never the same ID number
            pairs += 1
    assert pairs >= 3


def test_demo_care_worker_sees_people_of_county_a(small):
    county_a = Organization.objects.get(division_code="654002")
    inside = Elder.objects.filter(organization__path__startswith=county_a.path)
    assert inside.count() > 20
    assert Youth.objects.filter(organization__path__startswith=county_a.path).count() > 50
    assert re.fullmatch(r"654002\*{8}[0-9]{3}[0-9X]", inside.first().id_number_masked)


def test_reset_removes_the_people_first(small):
    load("small", 1, reset=True)
    assert Elder.objects.count() == small.elders
    assert AuditLog.objects.count() == 2
