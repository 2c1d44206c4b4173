"""Word templates run in a sandbox and belong to an organisation; documents are dated locally.

A template is Jinja written by an administrator and filled by the worker, which can read every
organisation's data: nothing in it may reach beyond the document's own data, whether it comes
in through the upload page or already sits in storage. A template serves its organisation's
subtree only.
"""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from docxtpl import DocxTemplate

from guangong.accounts.roles import Role
from guangong.accounts.tests.factories import UserFactory
from guangong.audit.models import AuditLog
from guangong.documents import jobs, render, sandbox, services
from guangong.documents.docx_layout import TEMPLATE_DIR
from guangong.documents.models import (
    DocumentKind,
    DocumentTemplate,
    GeneratedDocument,
    WorkSummary,
)
from guangong.jobs.models import Status

from .conftest import YEAR, docx_text, new_bulletin

TEMPLATE_TYPE = "documents.documenttemplate"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def sysadmin_of(org, username):
    return UserFactory(username=username, organization=org, role=Role.SYSTEM_ADMIN)


@pytest.fixture
def city_sysadmin(tree):
    return sysadmin_of(tree.city, "city_sysadmin")


@pytest.fixture
def a_sysadmin(tree):
    return sysadmin_of(tree.county_a, "a_sysadmin")


def docx(*paragraphs: str) -> bytes:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def attacks(marker) -> list[tuple[str, list[str]]]:
    """Templates that would run a command or write a file in the worker, or read beyond the
    document's data (``marker`` is the file they would create)."""
    return [
        (
            "cycler",
            [
                "{{ title }}",
                "{{ cycler.__init__.__globals__.os.popen('touch " + str(marker) + "').read() }}",
            ],
        ),
        (
            "class walk",
            ["{{ title }}", "{{ title.__class__.__mro__[1].__subclasses__() }}"],
        ),
        (
            "hidden branch",
            ["{{ title }}", "{%p if false %}", "{{ title|attr('__class__') }}", "{%p endif %}"],
        ),
        (
            "format string",
            ["{{ title }}", "{{ '{0.__class__.__init__.__globals__}'.format(title) }}"],
        ),
        (
            "photo's document",
            [
                "{{ title }}",
                "{%p for s in sections %}",
                "{%p for a in s.activities %}",
                "{{ a.photo.tpl.save('" + str(marker) + "') }}",
                "{%p endfor %}",
                "{%p endfor %}",
            ],
        ),
        ("settings", ["{{ title }}", "{{ settings.SECRET_KEY }}"]),
    ]


@pytest.mark.parametrize("attack", range(6), ids=[a for a, _ in attacks("x")])
def test_a_template_reaching_beyond_the_document_is_refused(
    attack, client_for, a_sysadmin, tmp_path, _media
):
    marker = tmp_path / "ran"
    name, paragraphs = attacks(marker)[attack]
    upload = SimpleUploadedFile("恶意模板.docx", docx(*paragraphs))

    response = client_for(a_sysadmin).post(
        "/documents/templates/", {"kind": "bulletin", "name": "恶意", "file": upload}
    )

    assert response.status_code == 400
    page = response.content.decode()
    number = {"photo's document": 4, "hidden branch": 3}.get(name, 2)
    assert f"模板第{number}处标签" in page and "不被允许" in page, name
    assert not marker.exists()
    assert not DocumentTemplate.objects.exists()
    assert not (_media / "documents" / "templates").exists()
    assert not AuditLog.objects.filter(object_type=TEMPLATE_TYPE).exists()


def test_the_message_names_the_tag_at_fault(a_sysadmin):
    upload = SimpleUploadedFile(
        "t.docx", docx("{{ title }}", "{{ cycler.__init__.__globals__.os.popen('id').read() }}")
    )
    with pytest.raises(ValidationError) as caught:
        services.upload_template(a_sysadmin, "bulletin", "", upload)
    message = caught.value.message_dict["file"][0]
    assert message.startswith(
        "模板第2处标签 {{ cycler.__init__.__globals__.os.popen('id').read() }} 不被允许："
    )


def stored_template(owner, kind: str, name: str, content: bytes) -> DocumentTemplate:
    """A template put in storage without the upload's checks (as one uploaded before them)."""
    template = DocumentTemplate(owner=owner, kind=kind, name=name)
    template.file.save("stored.docx", ContentFile(content), save=False)
    template.save()
    return template


def test_a_stored_template_cannot_run_code_when_a_document_is_generated(
    tree, a_admin, a_summary, tmp_path
):
    marker = tmp_path / "ran"
    command = "{{ cycler.__init__.__globals__.os.popen('touch " + str(marker) + "').read() }}"
    stored_template(tree.county_a, "summary", "旧模板", docx("{{ title }}", command))

    job = jobs.start_generation(a_admin, "summary", a_summary, "docx")
    job.refresh_from_db()

    assert job.status == Status.FAILED
    assert job.message.startswith("正在使用的 Word 模板（旧模板）无法使用：模板第2处标签")
    assert "请管理员上传修正后的模板" in job.message
    assert not marker.exists()
    assert not GeneratedDocument.objects.exists()


def test_a_stored_template_cannot_reach_the_document_object(tree, a_admin, a_summary, tmp_path):
    marker = tmp_path / "copy.docx"
    stored_template(
        tree.county_a,
        "summary",
        "旧模板",
        docx("{%p for s in sections %}", "{{ s.heading.__class__ }}", "{%p endfor %}"),
    )
    with pytest.raises(ValidationError) as caught:
        services.generate(a_admin, "summary", a_summary, "docx")
    assert "模板第2处标签 {{ s.heading.__class__ }} 不被允许" in caught.value.messages[0]
    assert not marker.exists()


def summary_template(text: str) -> bytes:
    return docx(text + " {{ title }}")


def test_a_county_template_serves_only_its_subtree(
    tree, a_sysadmin, city_sysadmin, city_admin, year_of_work
):
    services.upload_template(
        a_sysadmin, "summary", "伊宁市模板", SimpleUploadedFile("a.docx", summary_template("甲式"))
    )

    def printed(org) -> str:
        summary = services.create_summary(city_admin, org, YEAR)
        return docx_text(services.generate(city_admin, "summary", summary, "docx").file.read())

    assert "甲式" in printed(tree.county_a)
    assert "甲式" in printed(tree.township)  # below the county: inherited
    assert "甲式" not in printed(tree.city)
    assert "甲式" not in printed(tree.county_b)

    # The city's own template serves the city and county B; county A keeps its own.
    services.upload_template(
        city_sysadmin, "summary", "州模板", SimpleUploadedFile("c.docx", summary_template("乙式"))
    )
    assert "乙式" in printed(tree.city) and "乙式" in printed(tree.county_b)
    assert "甲式" in printed(tree.county_a) and "乙式" not in printed(tree.county_a)


def test_a_template_out_of_scope_answers_404(tree, client_for, a_sysadmin, city_sysadmin):
    b_template = services.upload_template(
        city_sysadmin,
        "bulletin",
        "奎屯市简报模板",
        SimpleUploadedFile("b.docx", docx("{{ title }}")),
        owner=tree.county_b,
    )
    a_client = client_for(a_sysadmin)
    missing = b_template.pk + 1000
    for pk in (b_template.pk, missing):
        assert a_client.get(f"/documents/templates/{pk}/file/").status_code == 404
        assert a_client.post(f"/documents/templates/{pk}/restore/").status_code == 404
    b_template.refresh_from_db()
    assert b_template.active
    assert "奎屯市简报模板" not in a_client.get("/documents/templates/").content.decode()
    # An upload for an organisation outside the subtree is refused as an unknown choice.
    response = a_client.post(
        "/documents/templates/",
        {
            "kind": "bulletin",
            "owner": tree.county_b.pk,
            "file": SimpleUploadedFile("x.docx", docx("{{ title }}")),
        },
    )
    assert response.status_code == 400
    assert DocumentTemplate.objects.count() == 1

    city_client = client_for(city_sysadmin)
    assert "奎屯市简报模板" in city_client.get("/documents/templates/").content.decode()
    assert city_client.get(f"/documents/templates/{b_template.pk}/file/").status_code == 200
    assert city_client.post(f"/documents/templates/{b_template.pk}/restore/").status_code == 302
    b_template.refresh_from_db()
    assert not b_template.active


def test_an_upload_and_a_restore_write_one_audit_row_each(tree, client_for, a_sysadmin):
    client = client_for(a_sysadmin)
    first = SimpleUploadedFile("1.docx", docx("第一版 {{ title }}"))
    client.post("/documents/templates/", {"kind": "summary", "name": "第一版", "file": first})
    second = SimpleUploadedFile("2.docx", docx("第二版 {{ title }}"))
    client.post("/documents/templates/", {"kind": "summary", "name": "第二版", "file": second})

    uploads = AuditLog.objects.filter(object_type=TEMPLATE_TYPE, action="create")
    assert uploads.count() == 2
    newest = DocumentTemplate.objects.get(active=True)
    row = uploads.get(object_id=str(newest.pk))
    assert row.user == a_sysadmin and row.org_path == tree.county_a.path
    assert row.after["replaces"] == ["第一版"]

    client.post(f"/documents/templates/{newest.pk}/restore/")
    restores = AuditLog.objects.filter(object_type=TEMPLATE_TYPE, action="update")
    assert restores.count() == 1
    assert restores.get().before["active"] is True and restores.get().after["active"] is False
    # Stopping a template no longer in use changes nothing and records nothing.
    client.post(f"/documents/templates/{newest.pk}/restore/")
    assert restores.count() == 1


@pytest.mark.parametrize("kind", DocumentKind.values)
def test_the_shipped_templates_pass_the_upload_check(kind):
    assert sandbox.check_upload((TEMPLATE_DIR / f"{kind}.docx").read_bytes(), kind) is None


def shape(value):
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return None


def test_the_sample_data_has_the_shape_of_a_real_document(tree, a_admin, a_summary):
    bulletin = new_bulletin(a_admin, tree.county_a, datetime.date(2026, 12, 6), "测试")
    bulletin.sections = [{"heading": "一", "paragraphs": ["甲"], "activities": []}]
    real = shape(render.bulletin_context(bulletin))
    sample = shape(sandbox.sample_context("bulletin"))
    assert set(real) == set(sample)
    assert set(sample["sections"][0]) == set(real["sections"][0])
    assert set(shape(sandbox.sample_context("summary"))) == set(
        shape(render.summary_context(a_summary))
    )


def test_a_summary_is_dated_with_the_local_date(a_admin, a_summary):
    # 16:30 UTC on 5 December is 00:30 on 6 December in Beijing.
    WorkSummary.objects.filter(pk=a_summary.pk).update(
        updated_at=datetime.datetime(2026, 12, 5, 16, 30, tzinfo=datetime.UTC)
    )
    a_summary.refresh_from_db()

    assert render.summary_context(a_summary)["date"] == "2026年12月6日"
    printed = docx_text(services.generate(a_admin, "summary", a_summary, "docx").file.read())
    assert "2026年12月6日" in printed and "2026年12月5日" not in printed


def test_documents_are_filled_in_the_sandbox(tree, a_admin, a_summary, monkeypatch):
    seen = []
    real_render = DocxTemplate.render

    def spy(self, context, jinja_env=None, autoescape=False):
        seen.append(jinja_env)
        return real_render(self, context, jinja_env=jinja_env, autoescape=autoescape)

    monkeypatch.setattr(DocxTemplate, "render", spy)
    services.generate(a_admin, "summary", a_summary, "docx")
    assert len(seen) == 1 and isinstance(seen[0], sandbox.DocumentSandbox)
    assert not seen[0].globals
