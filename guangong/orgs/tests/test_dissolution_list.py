"""The dissolution date (撤销日期) on the organisation list, in its export and in the import.

The list shows dissolved organisations only when its filter asks for them; then each carries a
badge by its name and its date in its own column (kept out of narrow screens, as the other
optional columns). The import fills the date and checks it as the edit page does.
"""

import datetime
import io

import pytest
from openpyxl import load_workbook

from guangong.audit.models import Action, AuditLog
from guangong.core.tests.support import xlsx_rows
from guangong.jobs import imports
from guangong.orgs import rollup, services
from guangong.orgs.importers import OrganizationImporter
from guangong.orgs.models import Kind, Organization, Status
from guangong.orgs.tests.test_import import check, errors, import_rows, row

DAY = datetime.date(2024, 12, 31)


@pytest.fixture
def dissolved(tree, city_admin):
    """The enterprise, established on 2015-06-01 and dissolved on 2024-12-31."""
    return services.update_organization(
        city_admin,
        tree.enterprise,
        status=Status.ESTABLISHED,
        established_on=datetime.date(2015, 6, 1),
        dissolved_on=DAY,
    )


# --- The list and its export ----------------------------------------------------------------


def test_the_list_shows_the_dissolution_date_and_a_badge(client_for, tree, dissolved, city_admin):
    page = client_for(city_admin).get("/orgs/", {"org": tree.township.pk, "dissolved": "with"})

    assert page.status_code == 200
    table = page.context["table"]
    header = table.columns["dissolved_on"]
    assert str(header.header) == "撤销日期"
    hidden = {"d-none", "d-md-table-cell"}  # not on a phone's width, as the other extras
    assert hidden <= set(header.attrs["th"]["class"].split())
    assert hidden <= set(header.attrs["td"]["class"].split())
    cells = {r.record.name: (r.get_cell("name"), r.get_cell("dissolved_on")) for r in table.rows}
    name, day = cells[dissolved.name]
    assert day == "2024-12-31"
    assert 'data-testid="dissolved-badge">已撤销</span>' in name
    assert f'href="/orgs/{dissolved.pk}/"' in name
    township_name, township_day = cells[tree.township.name]
    assert township_day == "—"  # the table's empty cell, as for a missing establishment date
    assert "dissolved-badge" not in township_name
    html = page.content.decode()
    assert html.count('data-testid="dissolved-badge"') == 1


def test_the_export_has_the_dissolution_date(client_for, tree, dissolved, city_admin):
    response = client_for(city_admin).get(
        "/orgs/", {"org": tree.township.pk, "dissolved": "with", "export": "xlsx"}
    )

    rows = xlsx_rows(response)
    column = rows[0].index("撤销日期")
    by_name = {r[0]: r for r in rows[1:]}  # the plain name: no badge text in the sheet
    assert set(by_name) == {tree.township.name, dissolved.name}
    assert by_name[dissolved.name][column] == "2024-12-31"
    assert by_name[tree.township.name][column] in (None, "", "—")


# --- The import -----------------------------------------------------------------------------


def test_the_template_has_an_optional_dissolution_date_column(client_for, a_admin):
    content = client_for(a_admin).get("/orgs/import/template/").content
    ws = load_workbook(io.BytesIO(content)).worksheets[0]
    headers = [c.value for c in ws[1]]
    assert "撤销日期" in headers
    index = headers.index("撤销日期")
    assert ws.column_dimensions[chr(65 + index)].number_format == "yyyy-mm-dd"
    assert not OrganizationImporter().column("dissolved_on").required


@pytest.mark.usefixtures("media")
def test_the_import_sets_the_dissolution_date(a_admin, tree):
    job = import_rows(
        a_admin,
        row("654002", "英也尔乡", Kind.TOWNSHIP, "654002203000", Status.ESTABLISHED, "2015-06-01"),
        # The same date formats as the establishment date's.
        row("英也尔乡", "英也尔村", Kind.VILLAGE, "654002203001", dissolved_on="2024年12月31日"),
    )

    assert job.summary["created"] == 2
    township = Organization.objects.get(name="英也尔乡")
    village = Organization.objects.get(name="英也尔村")
    assert township.dissolved_on is None
    assert village.dissolved_on == DAY
    created = AuditLog.objects.get(action=Action.CREATE, object_id=str(village.pk))
    assert created.after["dissolved_on"] == "2024-12-31"
    assert rollup.mismatches() == []  # the dissolved village is created uncounted


@pytest.mark.usefixtures("media")
def test_a_dissolution_before_the_establishment_is_refused_and_nothing_is_saved(a_admin, tree):
    before = Organization.objects.count()

    job = check(
        a_admin,
        row("654002", "英也尔乡", Kind.TOWNSHIP, "654002203000"),
        row(
            "654002",
            "喀尔墩乡",
            Kind.TOWNSHIP,
            "654002204000",
            Status.ESTABLISHED,
            "2015-06-01",
            dissolved_on="2015-05-31",
        ),
    )

    # The edit page's own message, on the dissolution date's cell.
    assert errors(job) == [(3, "撤销日期", "撤销日期不能早于成立日期（2015-06-01）。")]
    assert not imports.can_confirm(a_admin, job)
    assert Organization.objects.count() == before
    assert not Organization.objects.filter(name__in=["英也尔乡", "喀尔墩乡"]).exists()
    assert (
        not AuditLog.objects.filter(action=Action.CREATE).exclude(object_type="jobs.job").exists()
    )
