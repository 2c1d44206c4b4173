"""Imports and the same person twice by name and birth date, as the pages treat it.

The ID number is optional in the sheet as on the page (sex and birth date are then required);
a row with the same name and birth date as a registered person, or as another row, without
the same ID number, is a warning to verify: the import needs the user to confirm it.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guangong.core.importer.testing import read_xlsx
from guangong.core.tests.support import row_of
from guangong.jobs.imports import confirm_import
from guangong.jobs.models import Job, Status
from guangong.people.importers import ElderImporter, YouthImporter
from guangong.people.models import Elder, Youth
from guangong.people.services.persons import save_person

from .conftest import ELDER_BIRTH, make_id
from .test_import import check, elder_row, elder_sheet, ids

pytestmark = pytest.mark.usefixtures("media", "english")

BIRTH = datetime.date(1952, 3, 14)  # the conftest elders' birth date (from their ID numbers)


def by_cell(items) -> dict:
    return {(row, column): message for row, column, message in items}


def test_the_id_number_is_optional_then_sex_and_birth_date_are_required(a_admin, categories):
    content = elder_sheet(
        elder_row(name="王建国", sex="男", birth_date="1950-02-03"),  # 2: enough without ID
        elder_row(name="李明"),  # 3: neither sex nor birth date
        elder_row(name="张伟", birth_date="1951-04-05"),  # 4: no sex
    )

    job = check(a_admin, ElderImporter, content)

    errors = by_cell(job.summary["errors"])
    assert errors == {
        (3, "Sex"): "Required when there is no ID number.",
        (3, "Birth date"): "Required when there is no ID number.",
        (4, "Sex"): "Required when there is no ID number.",
    }
    fixed = elder_sheet(
        elder_row(name="王建国", sex="男", birth_date="1950-02-03"),
        elder_row(name="李明", sex="女", birth_date="1949-10-01"),
    )
    job = confirm_import(a_admin, check(a_admin, ElderImporter, fixed))
    job.refresh_from_db()
    assert job.status == Status.SUCCEEDED, job.message
    li = Elder.objects.get(name="李明")
    assert (li.sex, li.birth_date, li.id_number_masked) == ("F", datetime.date(1949, 10, 1), "")


def test_same_name_and_birth_date_is_a_warning_naming_only_an_organisation_in_scope(
    a_admin, people, tree
):
    other_id = make_id("654002", ELDER_BIRTH, "808")
    content = elder_sheet(
        # 2: county A's 阿依古丽 (in scope), no ID number
        elder_row(name="阿依古丽", sex="女", birth_date="1952-03-14"),
        # 3: county B's 巴图尔 (outside the scope), another ID number with the same birth date
        elder_row(name="巴图尔", id_number=other_id),
        # 4 and 5: the same name and birth date twice in the file
        elder_row(name="新面孔", sex="男", birth_date="1960-01-01"),
        elder_row(name="新面孔", sex="男", birth_date="1960-01-01"),
        # 6: a different birth date: nothing to verify
        elder_row(name="阿依古丽", sex="女", birth_date="1952-03-15"),
    )

    job = check(a_admin, ElderImporter, content)

    assert job.status == Status.SUCCEEDED
    assert job.summary["error_count"] == 0, job.summary["errors"]
    assert job.summary["warning_count"] == 3
    warnings = by_cell(job.summary["warnings"])
    assert warnings == {
        (2, "Name"): (
            f"阿依古丽, registered at {tree.county_a.name}, has the same name and birth date; "
            "please verify."
        ),
        (3, "Name"): (
            "巴图尔: someone with the same name and birth date is registered outside your "
            "scope; please verify."
        ),
        (5, "Name"): "Row 4 of this file has the same name and birth date; please verify.",
    }
    # Nothing else of the record outside the scope: not its masked number, not its phone.
    assert people["county_b"].elder.id_number_masked not in str(job.summary)
    assert tree.county_b.name not in str(job.summary)
    # The marked file holds the warnings, each marked as one.
    assert job.result_file
    with job.result_file.open("rb") as handle:
        rows = read_xlsx(handle.read())
    marked = {number: row[-1] for number, row in enumerate(rows, start=1)}
    assert marked[2] == f"Name：Warning: {warnings[(2, 'Name')]}"
    assert marked[5] == f"Name：Warning: {warnings[(5, 'Name')]}"
    assert not any("Warning" in str(cell) for cell in rows[3] + rows[5])  # rows 4 and 6


def test_the_same_id_number_stays_an_error_without_a_warning(a_admin, people):
    content = elder_sheet(elder_row(name="阿依古丽", id_number=people["county_a"].elder_id))

    job = check(a_admin, ElderImporter, content)

    assert [c for _r, c, _m in job.summary["errors"]] == ["ID number"]
    assert job.summary["warning_count"] == 0


def test_rows_with_warnings_import_only_once_confirmed(client_for, a_admin, people):
    content = elder_sheet(elder_row(name="阿依古丽", sex="女", birth_date="1952-03-14"))
    checked = check(a_admin, ElderImporter, content)
    before = Elder.objects.count()

    with pytest.raises(ValidationError):
        confirm_import(a_admin, checked)
    checked.refresh_from_db()
    assert "commit_job" not in checked.summary

    # The page: the box to tick is there; without it, nothing is imported.
    client = client_for(a_admin)
    page = client.get(checked.get_absolute_url())
    assert 'data-testid="import-acknowledge"' in page.content.decode()
    assert 'data-testid="import-warnings"' in page.content.decode()
    refused = client.post(f"/jobs/{checked.pk}/confirm/", follow=True)
    assert Job.objects.filter(params__check_job=str(checked.pk)).count() == 0
    assert len(list(refused.context["messages"])) == 1
    assert Elder.objects.count() == before

    response = client.post(f"/jobs/{checked.pk}/confirm/", {"acknowledge_warnings": "on"})
    assert response.status_code == 302
    job = Job.objects.get(params__check_job=str(checked.pk))
    assert job.status == Status.SUCCEEDED, job.message
    assert Elder.objects.count() == before + 1
    assert Elder.objects.filter(name="阿依古丽", birth_date=BIRTH).count() == 2


def test_a_warning_that_appears_after_the_check_stops_the_import(a_admin, city_admin, people):
    content = elder_sheet(elder_row(name="后来者", sex="男", birth_date="1958-08-08"))
    checked = check(a_admin, ElderImporter, content)
    assert checked.summary["warning_count"] == 0
    save_person(
        city_admin,
        Elder(
            organization=people["county_b"].elder.organization,
            name="后来者",
            sex="M",
            birth_date=datetime.date(1958, 8, 8),
        ),
    )
    before = Elder.objects.count()

    job = confirm_import(a_admin, checked)
    job.refresh_from_db()

    assert job.status == Status.FAILED
    assert "verify" in job.message
    assert Elder.objects.count() == before


def test_young_people_without_an_id_number(a_admin, people, categories):
    def youth_row(name, **extra):
        cells = {"organization": "654002", "name": name, "category": "留守儿童", **extra}
        return row_of(YouthImporter, **cells)

    youth = people["county_a"].youth
    content = elder_sheet_for(
        YouthImporter,
        youth_row(youth.name, sex="女", birth_date=youth.birth_date.isoformat()),
        youth_row("新同学", sex="男", birth_date="2016-09-01"),
    )

    job = check(a_admin, YouthImporter, content)

    assert job.summary["error_count"] == 0, job.summary["errors"]
    assert [(r, c) for r, c, _m in job.summary["warnings"]] == [(2, "Name")]
    job = confirm_import(a_admin, job, acknowledged=True)
    job.refresh_from_db()
    assert job.status == Status.SUCCEEDED, job.message
    assert Youth.objects.filter(name=youth.name).count() == 2


def elder_sheet_for(importer_class, *rows) -> bytes:
    from guangong.core.importer.testing import make_xlsx

    return make_xlsx([importer_class().headers(), *rows])


@pytest.mark.parametrize("size", [10, 600])
def test_the_look_up_is_batched_not_per_row(a_admin, people, size, request):
    """A few queries for 600 rows, as for 10: on PostgreSQL one query takes every pair of the
    file as two arrays; elsewhere a chunk of pairs is 500."""
    numbers = ids(size, birth="19550505", start=100)
    content = elder_sheet(*(elder_row(name=f"人{i}", id_number=n) for i, n in enumerate(numbers)))
    importer = ElderImporter()
    result = importer.parse(content)
    with CaptureQueriesContext(connection) as queries:
        importer.validate(result, a_admin)
    same_name = [
        q
        for q in queries.captured_queries
        if '"birth_date" IN' in q["sql"] or "unnest(" in q["sql"]
    ]
    if connection.vendor == "postgresql":
        assert len(same_name) == 1
    else:
        assert len(same_name) == (1 if size <= 500 else 2)
    assert len(queries.captured_queries) <= 12
