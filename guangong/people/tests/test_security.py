"""What the people registers tell about what a user may not see.

A refused delete names a care case only to a user who works on care cases.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import translation

from guangong.accounts.roles import Role
from guangong.accounts.tests.factories import UserFactory
from guangong.care.tests.conftest import open_case
from guangong.core.importer.testing import make_xlsx
from guangong.jobs.imports import undo_import
from guangong.jobs.models import Status
from guangong.people import services
from guangong.people.importers import YouthImporter
from guangong.people.models import Youth

from .conftest import make_id
from .test_import import import_file


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def a_care(tree):
    """A care worker (关爱专干) at county A."""
    return UserFactory(username="a_care", organization=tree.county_a, role=Role.CARE_WORKER)


# --- A refused delete and care cases -------------------------------------------------------


def youth_at(org, actor, categories, name: str) -> Youth:
    return services.save_person(
        actor,
        Youth(
            organization=org,
            name=name,
            sex="F",
            birth_date=datetime.date(2012, 1, 1),
            category=categories["student"],
        ),
    )


def test_a_refused_delete_names_a_care_case_only_to_a_care_worker(
    client_for, tree, a_clerk, a_care, categories
):
    youth = youth_at(tree.county_a, a_clerk, categories, "许小雪")
    open_case(a_care, SimpleNamespace(youth=youth))
    url = f"/people/youth/{youth.pk}/delete/"

    def refusal(user) -> str:
        response = client_for(user).post(url, follow=True)
        assert response.status_code == 200
        return " ".join(str(m) for m in response.context["messages"])

    with translation.override("zh-hans"):
        clerk, worker = refusal(a_clerk), refusal(a_care)

    assert "有其他记录引用此人" in clerk
    assert "关爱" not in clerk and "个案" not in clerk
    assert "有关联的关爱个案" in worker
    assert Youth.objects.filter(pk=youth.pk).exists()


def test_undoing_an_import_names_a_care_case_only_to_a_care_worker(a_clerk, a_care, categories):
    def youth_row(name, number):
        cells = {
            "organization": "654002",
            "name": name,
            "id_number": number,
            "category": "在校学生",
        }
        return [cells.get(column.field) for column in YouthImporter.columns]

    content = make_xlsx(
        [
            YouthImporter().headers(),
            youth_row("许小雨", make_id("654002", "20120101", "611")),
            youth_row("许小风", make_id("654002", "20120101", "633")),
        ]
    )
    job = import_file(a_clerk, YouthImporter, content)
    youth = Youth.objects.get(name="许小雨")
    open_case(a_care, SimpleNamespace(youth=youth))

    with translation.override("zh-hans"):
        undo = undo_import(a_clerk, job)
    undo.refresh_from_db()

    assert undo.status == Status.FAILED
    assert "许小雨" in undo.message and "有其他记录引用此人" in undo.message
    assert "关爱" not in undo.message and "个案" not in undo.message
    assert Youth.objects.filter(import_batch=job.summary["batch"]).count() == 2
