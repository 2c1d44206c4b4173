"""Organisation groups: sets, groups and assignments through pages, API, bulk and import.

The city defines 四化型工作模式 for its subtree; county A's administrator (a_admin) assigns
the organisations of county A; county B (b_admin) neither sees county A's rows nor assigns them.
"""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from guangong.audit.models import AuditLog
from guangong.core.export import XLSX_TYPE
from guangong.core.importer.testing import make_xlsx
from guangong.core.scope import OutOfScope
from guangong.core.tests.support import row_of
from guangong.jobs.imports import confirm_import, start_import, undo_import
from guangong.jobs.models import Status
from guangong.orggroups import services
from guangong.orggroups.importers import AssignmentImporter
from guangong.orggroups.models import Assignment, GroupSet, OrgGroup
from guangong.orgs.models import Kind


@pytest.fixture
def sihua(tree, city_admin):
    group_set = services.save_group_set(
        city_admin, GroupSet(organization=tree.city, name="四化型工作模式")
    )
    built = services.save_group(city_admin, OrgGroup(group_set=group_set, name="已建立"))
    services.save_group(city_admin, OrgGroup(group_set=group_set, name="未建立", order=1))
    return built


def test_one_group_per_set(tree, a_admin, sihua):
    services.save_assignment(a_admin, Assignment(organization=tree.township, group=sihua))
    other = OrgGroup.objects.get(name="未建立")
    with pytest.raises(ValidationError) as exc:
        services.save_assignment(a_admin, Assignment(organization=tree.township, group=other))
    assert "已建立" in str(exc.value)
    assert Assignment.objects.count() == 1


def test_only_within_the_set_and_the_scope(tree, a_admin, b_admin, city_admin, sihua):
    with pytest.raises(OutOfScope):
        services.save_assignment(b_admin, Assignment(organization=tree.township, group=sihua))
    county_set = services.save_group_set(
        a_admin, GroupSet(organization=tree.county_a, name="示范点")
    )
    county_group = services.save_group(a_admin, OrgGroup(group_set=county_set, name="县级"))
    with pytest.raises(ValidationError):  # county B is not under county A
        services.save_assignment(
            city_admin, Assignment(organization=tree.county_b, group=county_group)
        )
    with pytest.raises(OutOfScope):  # a county does not change the city's set
        services.save_group(a_admin, OrgGroup(group_set=sihua.group_set, name="新"))


def test_bulk_assignment_from_a_filtered_list(client_for, tree, a_admin, sihua):
    client = client_for(a_admin)
    url = reverse("orggroups:groupset_assign", args=[sihua.group_set_id])
    query = f"?kind={Kind.TOWNSHIP}"
    page = client.get(url + query)
    assert page.status_code == 200
    assert "墩买里街道" in page.content.decode() and "奎屯市" not in page.content.decode()
    before = AuditLog.objects.count()
    done = client.post(url + query, {"group": sihua.pk})
    assert done.status_code == 302
    assert list(Assignment.objects.values_list("organization__name", "group__name")) == [
        ("墩买里街道", "已建立")
    ]
    assert AuditLog.objects.count() == before + 1
    # Taking them out again: the empty choice.
    client.post(url + query, {"group": ""})
    assert not Assignment.objects.exists()


def test_api_lists_sets_and_groups_in_scope(api_for, tree, a_admin, b_admin, sihua):
    services.save_assignment(a_admin, Assignment(organization=tree.township, group=sihua))
    sets = api_for(a_admin).get("/api/org-group-sets/").json()
    assert [s["name"] for s in sets["results"]] == ["四化型工作模式"]
    assert [g["name"] for g in sets["results"][0]["groups"]] == ["已建立", "未建立"]
    groups = api_for(a_admin).get("/api/org-groups/").json()["results"]
    assert {g["name"]: g["organizations"] for g in groups} == {"已建立": 1, "未建立": 0}
    # County B reads the city's set too, but counts none of county A's organisations.
    groups_b = api_for(b_admin).get("/api/org-groups/").json()["results"]
    assert {g["name"]: g["organizations"] for g in groups_b} == {"已建立": 0, "未建立": 0}
    made = api_for(a_admin).post(
        "/api/org-group-assignments/",
        {"organization": tree.enterprise.pk, "group": sihua.pk},
        format="json",
    )
    assert made.status_code == 201, made.content
    twice = api_for(a_admin).post(
        "/api/org-group-assignments/",
        {"organization": tree.enterprise.pk, "group": sihua.pk},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert twice.status_code == 400 and "已" in twice.content.decode()


@pytest.mark.usefixtures("media")
def test_import_checks_imports_and_undoes(tree, a_admin, sihua):
    with translation.override("zh-hans"):
        headers = AssignmentImporter().headers()
    rows = [
        row_of(
            AssignmentImporter,
            organization="墩买里街道",
            group_set="四化型工作模式",
            group="已建立",
        ),
        row_of(
            AssignmentImporter, organization="654002", group_set="四化型工作模式", group="未建立"
        ),
    ]
    upload = SimpleUploadedFile("分组.xlsx", make_xlsx([headers, *rows]), content_type=XLSX_TYPE)
    checked = start_import(a_admin, AssignmentImporter, upload)
    checked.refresh_from_db()
    assert checked.status == Status.SUCCEEDED and checked.summary["error_count"] == 0, (
        checked.summary
    )
    job = confirm_import(a_admin, checked)
    job.refresh_from_db()
    assert job.status == Status.SUCCEEDED, job.message
    assert Assignment.objects.count() == 2
    undo = undo_import(a_admin, job)
    undo.refresh_from_db()
    assert undo.status == Status.SUCCEEDED and not Assignment.objects.exists()


@pytest.mark.usefixtures("media")
def test_import_refuses_what_is_outside(tree, a_admin, sihua):
    with translation.override("zh-hans"):
        headers = AssignmentImporter().headers()
        rows = [
            row_of(
                AssignmentImporter,
                organization="奎屯市",
                group_set="四化型工作模式",
                group="已建立",
            ),
            row_of(
                AssignmentImporter,
                organization="654002",
                group_set="四化型工作模式",
                group="无此组",
            ),
        ]
        upload = SimpleUploadedFile(
            "分组.xlsx", make_xlsx([headers, *rows]), content_type=XLSX_TYPE
        )
        checked = start_import(a_admin, AssignmentImporter, upload)
    checked.refresh_from_db()
    assert checked.summary["error_count"] == 2
    assert not Assignment.objects.exists()


def test_pages_are_chinese(client_for, tree, a_admin, sihua):
    client = client_for(a_admin)
    for name in ("orggroups:groupset_list", "orggroups:group_list", "orggroups:assignment_list"):
        page = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert page.status_code == 200
        assert "四化型工作模式" in page.content.decode() or name.endswith("assignment_list")
    add = client.get(reverse("orggroups:assignment_add"))
    assert add.status_code == 200 and "分组" in add.content.decode()


def test_list_pages_lead_to_every_page(client_for, tree, a_admin, a_viewer, sihua):
    page = client_for(a_admin).get(
        reverse("orggroups:assignment_list"), {"group_set": sihua.group_set_id}
    )
    body = page.content.decode()
    assert reverse("orggroups:groupset_assign", args=[sihua.group_set_id]) in body
    assert reverse("orggroups:assignment_import") in body
    odd = client_for(a_admin).get(reverse("orggroups:group_list"), {"group_set": "x1"})
    assert odd.status_code in (200, 400)
    viewer = client_for(a_viewer).get(reverse("orggroups:groupset_list")).content.decode()
    assert "四化型工作模式" in viewer and reverse("orggroups:groupset_add") not in viewer
