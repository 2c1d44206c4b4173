"""Importing activities from a spreadsheet through the jobs: check, confirm, undo.

a_admin sits at 伊宁市 (654002, county A); 奎屯市 (654003, county B) is outside their scope.
The ``people`` fixture puts an elder at county A (阿依古丽), its township (艾尔肯) and
county B (巴图尔).
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import load_workbook

from guangong.activities import rollup
from guangong.activities.importers import ActivityImporter, parse_elders
from guangong.activities.models import Activity, ActivityMonth
from guangong.core.export import XLSX_TYPE
from guangong.core.importer.testing import make_xlsx
from guangong.core.tests.support import row_of
from guangong.jobs.imports import confirm_import, start_import, undo_import
from guangong.jobs.models import Job, Status
from guangong.people.models import Elder

pytestmark = pytest.mark.usefixtures("media")


#: A row of the activity template, by field: a talk at county A.
ROW = {
    "organization": "654002",
    "type": "主题宣讲",
    "title": "红色故事宣讲",
    "date": "2026-03-02",
    "participants": 80,
    "elders": "",
}


def row(**changes):
    """A row of the activity template: ``ROW`` with ``changes`` (by field)."""
    return row_of(ActivityImporter, **{**ROW, **changes})


def sheet(*rows) -> bytes:
    with translation.override("zh-hans"):
        headers = ActivityImporter().headers()
    return make_xlsx([headers, *rows])


def check(user, content: bytes) -> Job:
    upload = SimpleUploadedFile("活动.xlsx", content, content_type=XLSX_TYPE)
    job = start_import(user, ActivityImporter, upload)
    job.refresh_from_db()
    return job


def test_the_headers_are_chinese_with_drop_downs(client_for, a_admin, types):
    response = client_for(a_admin).get("/activities/import/template/")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.worksheets[0]
    headers = [cell.value for cell in ws[1]]
    for word in ("活动类型", "活动名称", "日期", "受众类别", "参与人次", "五老"):
        assert any(word in (h or "") for h in headers), headers
    validated = {str(v.sqref)[0] for v in ws.data_validations.dataValidation}
    assert {"B", "G"} <= validated  # type and audience columns


def test_parse_elders():
    assert parse_elders("张三:2;李四：1.5、王五") == [
        ("张三", Decimal("2.0")),
        ("李四", Decimal("1.5")),
        ("王五", Decimal("0.0")),
    ]
    with pytest.raises(ValueError):
        parse_elders("张三:两小时")


def test_a_clean_file_imports_counts_and_undoes(people, a_admin, types):
    content = sheet(
        row(elders="阿依古丽:2;艾尔肯:1.5"),
        row(
            organization="墩买里街道",
            type="关爱帮扶",
            title="重阳敬老",
            participants=20,
            elders="艾尔肯:1",
        ),
    )
    checked = check(a_admin, content)
    assert checked.status == Status.SUCCEEDED, checked.message
    assert checked.summary["error_count"] == 0, checked.summary["errors"]
    assert not Activity.objects.exists()  # the check saves nothing

    job = confirm_import(a_admin, checked)
    job.refresh_from_db()

    assert job.status == Status.SUCCEEDED, job.message
    assert job.summary["created"] == 2
    assert Activity.objects.filter(import_batch=job.pk.hex).count() == 2
    assert Elder.objects.get(pk=people["county_a"].elder.pk).service_hours == Decimal("2")
    assert Elder.objects.get(pk=people["township"].elder.pk).service_hours == Decimal("2.5")
    assert rollup.mismatches() == []

    undo = undo_import(a_admin, job)
    undo.refresh_from_db()

    assert undo.status == Status.SUCCEEDED, undo.message
    assert not Activity.objects.exists()
    assert not ActivityMonth.objects.exists()
    assert Elder.objects.get(pk=people["township"].elder.pk).service_hours == 0
    assert rollup.mismatches() == []


def test_a_file_with_bad_rows_imports_nothing_and_lists_every_bad_row(people, a_admin, types):
    content = sheet(
        row(),  # row 2: fine
        row(organization="654003"),  # 3: county B is outside the scope
        row(type="打麻将"),  # 4: no such type
        row(date="2099-01-01"),  # 5: in the future
        row(participants="很多"),  # 6: not a number
        row(elders="巴图尔:2"),  # 7: county B's elder is not at county A
        row(elders="阿依古丽:30"),  # 8: more than a day's hours
        row(title=""),  # 9: no title
        row(date="2026-03-05", end_date="2026-03-01"),  # 10: ends before it starts
    )

    with translation.override("zh-hans"):
        checked = check(a_admin, content)

    assert checked.status == Status.SUCCEEDED
    assert checked.summary["bad_rows"] == 8
    bad = {number for number, _column, _message in checked.summary["errors"]}
    assert bad == set(range(3, 11))
    for _number, _column, message in checked.summary["errors"]:
        assert any("\u4e00" <= c <= "\u9fff" for c in message), message
    assert not Activity.objects.exists()
    assert not ActivityMonth.objects.exists()


def test_an_ambiguous_elder_name_is_refused(tree, people, city_admin, a_admin, types):
    from guangong.people.services.persons import save_person

    save_person(
        city_admin,
        Elder(
            organization=tree.township,
            name=people["county_a"].elder.name,
            sex="M",
            birth_date=datetime.date(1950, 1, 1),
        ),
    )
    checked = check(a_admin, sheet(row(elders=f"{people['county_a'].elder.name}:1")))
    assert checked.summary["bad_rows"] == 1


def test_the_import_pages(client_for, a_admin, types):
    client = client_for(a_admin)
    page = client.get("/activities/import/")
    assert page.status_code == 200
    assert "/activities/import/template/" in page.content.decode()
