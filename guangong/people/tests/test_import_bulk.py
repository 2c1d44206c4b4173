"""The fast path of the people import: prepared-row inserts and the commit reusing its check.

The inserts (``people.bulk.create_rows``: executemany on SQLite, COPY on PostgreSQL) must leave
exactly what the ORM's ``bulk_create`` and ``audit.services.record_many`` leave; the commit job
must take the rows its check converted only while they still fit, and check them again.
"""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.utils import translation

from guangong.audit.models import Action, AuditLog
from guangong.audit.services import record_many
from guangong.core import crypto, idnumber
from guangong.core.importer import checked
from guangong.core.pinyin import search_key
from guangong.dicts.models import DictItem, DictKind
from guangong.jobs.imports import confirm_import, undo_import
from guangong.jobs.models import Job, Status
from guangong.people import bulk
from guangong.people.importers import ElderImporter, YouthImporter
from guangong.people.models import Elder, Youth
from guangong.people.services.persons import save_person

from .conftest import assert_chinese, make_id
from .test_import import check, elder_row, elder_sheet, ids, import_file

COMPARED = (
    "organization_id",
    "name",
    "sex",
    "birth_date",
    "id_number_hash",
    "id_number_masked",
    "phone",
    "notes",
    "search_text",
    "merged_into_id",
)
ELDER_ONLY = (*Elder.own_fields, "service_hours")

pytestmark = pytest.mark.usefixtures("media", "english")


#: Every field of an audit record but those that differ between two records of the same
#: change (its id, time and the id of the row it names).
COMPARED_AUDIT_FIELDS = [
    field.attname
    for field in AuditLog._meta.concrete_fields
    if field.name not in {"id", "time", "object_id"}
]


def checked_result(importer, actor, content):
    result = importer.parse(content)
    importer.validate(result, actor)
    assert result.ok, result.errors
    return result


def with_orm(importer, actor, result, batch):
    """The same rows saved as the ORM would: instances, ``bulk_create``, ``record_many``."""
    people = []
    for row in result.rows:
        fields = importer.field_values(row.values)
        person = importer.model(**fields)
        for name, value in bulk.id_fields(row.values["id_number"]).items():
            if name in ("birth_date", "sex"):
                value = getattr(person, name) or value
            setattr(person, name, value)
        person.search_text = search_key(person.name)
        person.import_batch = batch
        people.append(person)
    importer.model.objects.bulk_create(people)
    snap = bulk.snapshotter(importer.model)
    afters = []
    for person, row in zip(people, result.rows, strict=True):
        after = snap(person)
        for name in importer.multi_fields:
            items = row.values.get(name) or []
            getattr(person, name).set(items)
            after[name] = sorted(items)
        afters.append(after)
    record_many(
        actor, Action.CREATE, people, afters=afters, parents=[p.organization for p in people]
    )
    return people


def read_back(model, batch):
    people = list(model.objects.filter(import_batch=batch).order_by("pk"))
    logs = {
        log.object_id: log
        for log in AuditLog.objects.filter(
            object_type=model._meta.label_lower, object_id__in=[str(p.pk) for p in people]
        )
    }
    return people, logs


@pytest.mark.django_db(transaction=True)
def test_prepared_inserts_leave_what_bulk_create_leaves(a_admin, categories):
    numbers = ids(4, birth="19480229", start=300)
    content = elder_sheet(
        elder_row(name="王建国", id_number=numbers[0], categories="老干部、老教师"),
        elder_row(
            name="李秀英",
            id_number=numbers[1],
            categories="老专家",
            phone="13912345678",
            former_unit="县教育局",
            joined_on="2001-07-01",
            notes="多行\n备注",
        ),
        elder_row(org="墩买里街道", name="Ahmed 阿合买提", id_number=numbers[2], categories=None),
        elder_row(name="单雄信", id_number=numbers[3], categories="老教师", sex="男"),
    )
    importer = ElderImporter()
    # Both checked before either is saved (the second would find the first's ID numbers).
    first = checked_result(importer, a_admin, content)
    second = checked_result(importer, a_admin, content)
    fast = importer.commit(first, a_admin, "f" * 32)
    assert len(fast) == 4
    assert [p.name for p in fast[:2]] == ["王建国", "李秀英"]
    with_orm(importer, a_admin, second, "o" * 32)

    mine, my_logs = read_back(Elder, "f" * 32)
    theirs, their_logs = read_back(Elder, "o" * 32)
    assert [p.pk for p in mine] == list(fast.pks)
    assert len(mine) == len(theirs) == 4
    for person, reference, number in zip(mine, theirs, numbers, strict=True):
        for name in COMPARED + ELDER_ONLY:
            assert getattr(person, name) == getattr(reference, name), name
        assert crypto.decrypt(person.id_number_enc) == number
        assert person.id_number_hash == crypto.blind_index(number)
        assert person.id_number_masked == idnumber.mask(number)
        assert person.created_at is not None and person.updated_at is not None
        assert set(person.categories.values_list("pk", flat=True)) == set(
            reference.categories.values_list("pk", flat=True)
        )
        log, ref_log = my_logs[str(person.pk)], their_logs[str(reference.pk)]
        for name in COMPARED_AUDIT_FIELDS:
            assert getattr(log, name) == getattr(ref_log, name), name
        assert log.time is not None
    assert mine[1].joined_on == datetime.date(2001, 7, 1) and mine[1].notes == "多行\n备注"
    assert mine[3].sex == "M"

    deleted = importer.undo("f" * 32, a_admin)
    assert deleted == 4
    assert not Elder.objects.filter(import_batch="f" * 32).exists()
    assert Elder.categories.through.objects.filter(elder_id__in=[p.pk for p in mine]).count() == 0


@pytest.mark.django_db(transaction=True)
def test_prepared_inserts_of_young_people_with_a_dictionary_foreign_key(a_admin, categories):
    numbers = [make_id("654002", "20150621", f"{i:03d}") for i in range(2)]
    headers = YouthImporter().headers()
    rows = []
    for index, number in enumerate(numbers):
        cells = {"organization": "654002", "name": f"小明{index}", "id_number": number}
        cells["category"] = "留守儿童"
        cells["guardian_name"] = "王监护"
        rows.append([cells.get(c.field) for c in YouthImporter.columns])
    from guangong.core.importer.testing import make_xlsx

    content = make_xlsx([headers, *rows])
    importer = YouthImporter()
    first = checked_result(importer, a_admin, content)
    second = checked_result(importer, a_admin, content)
    importer.commit(first, a_admin, "y" * 32)
    with_orm(importer, a_admin, second, "z" * 32)
    mine, _ = read_back(Youth, "y" * 32)
    theirs, _ = read_back(Youth, "z" * 32)
    for person, reference in zip(mine, theirs, strict=True):
        for name in (*COMPARED, "category_id", "guardian_name", "household_type", "ethnicity"):
            assert getattr(person, name) == getattr(reference, name), name
    assert mine[0].category == categories["left_behind"]


# --- The commit takes the rows of its check -------------------------------------------------


def kept_name(job: Job) -> str:
    return job.summary["kept_rows"]


def test_the_commit_takes_the_rows_its_check_converted(a_admin, categories, monkeypatch):
    numbers = ids(3, start=400)
    content = elder_sheet(*(elder_row(name=f"甲{i}", id_number=n) for i, n in enumerate(numbers)))
    job = check(a_admin, ElderImporter, content)
    assert job.status == Status.SUCCEEDED
    assert job.summary["reused_check"] is False
    name = kept_name(job)
    assert name.startswith(f"jobs/{job.pk.hex}/") and default_storage.exists(name)

    def no_reading(self, *args, **kwargs):
        raise AssertionError("the commit read the file again")

    monkeypatch.setattr(ElderImporter, "parse", no_reading)
    commit = confirm_import(a_admin, job)
    commit.refresh_from_db()
    assert commit.status == Status.SUCCEEDED, commit.message
    assert commit.summary["reused_check"] is True
    assert commit.summary["created"] == 3
    assert not default_storage.exists(name)  # used once, then deleted
    elders = Elder.objects.filter(import_batch=commit.pk.hex).order_by("pk")
    assert [crypto.decrypt(e.id_number_enc) for e in elders] == numbers

    undo = undo_import(a_admin, commit)
    undo.refresh_from_db()
    assert undo.status == Status.SUCCEEDED and undo.summary["deleted"] == 3


def test_changed_choices_make_the_commit_read_the_file_again(a_admin, categories):
    content = elder_sheet(elder_row(id_number=ids(1, start=410)[0], categories="老教师"))
    job = check(a_admin, ElderImporter, content)
    DictItem.objects.create(kind=DictKind.ELDER_CATEGORY, label="老模范新")
    commit = confirm_import(a_admin, job)
    commit.refresh_from_db()
    assert commit.status == Status.SUCCEEDED, commit.message
    assert commit.summary["reused_check"] is False
    assert commit.summary["created"] == 1


def test_kept_rows_fit_only_the_file_and_choices_they_came_from(a_admin, categories):
    importer = ElderImporter()
    first = elder_sheet(elder_row(id_number=ids(1, start=420)[0]))
    other = elder_sheet(elder_row(id_number=ids(1, start=421)[0]))
    result = importer.parse(first)
    kept = checked.dump(importer, result)
    again = checked.load(importer, kept, first)
    assert [(r.number, r.values) for r in again.rows] == [(r.number, r.values) for r in result.rows]
    assert (again.sheet, again.header_row, again.positions) == (
        result.sheet,
        result.header_row,
        result.positions,
    )
    assert checked.load(importer, kept, other) is None
    assert checked.load(importer, b"not kept rows", first) is None
    item = categories["teacher"]
    item.label = "退休教师"
    item.save()
    assert checked.load(importer, kept, first) is None


def test_an_id_registered_between_check_and_commit_refuses_the_whole_import(
    a_admin, city_admin, tree, categories
):
    numbers = ids(3, start=430)
    content = elder_sheet(*(elder_row(name=f"乙{i}", id_number=n) for i, n in enumerate(numbers)))
    with translation.override("zh-hans"):
        job = check(a_admin, ElderImporter, content)
    assert job.status == Status.SUCCEEDED and job.summary["error_count"] == 0
    save_person(city_admin, Elder(organization=tree["county_a"], name="丙"), id_number=numbers[1])
    with translation.override("zh-hans"):
        commit = confirm_import(a_admin, job)
    commit.refresh_from_db()
    assert commit.status == Status.FAILED
    assert commit.summary["reused_check"] is True
    assert_chinese(commit.message, "The file has errors. Nothing was imported.")
    assert commit.summary["error_count"] == 1
    row, _column, message = commit.summary["errors"][0]
    assert row == 3
    assert_chinese(message, "This person is already registered at %(org)s.")
    assert not Elder.objects.filter(import_batch=commit.pk.hex).exists()
    assert Elder.objects.filter(name__startswith="乙").count() == 0
    assert not AuditLog.objects.filter(object_repr__startswith="乙").exists()


def test_a_clean_second_import_after_an_undo(a_admin, categories):
    """Batches are read back by their id: an undone import and a new one do not mix."""
    numbers = ids(2, start=440)
    content = elder_sheet(*(elder_row(name=f"丁{i}", id_number=n) for i, n in enumerate(numbers)))
    first = import_file(a_admin, ElderImporter, content)
    undo = undo_import(a_admin, first)
    undo.refresh_from_db()
    assert undo.status == Status.SUCCEEDED
    second = import_file(a_admin, ElderImporter, content)
    assert second.summary["created"] == 2
    assert Elder.objects.filter(import_batch=second.pk.hex).count() == 2
