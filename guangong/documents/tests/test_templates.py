"""Word templates of the generated documents: upload, download, restore, bad files refused."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from guangong.accounts.roles import Role
from guangong.accounts.tests.factories import UserFactory
from guangong.audit.models import AuditLog
from guangong.documents import services
from guangong.documents.docx_layout import TEMPLATE_DIR
from guangong.documents.models import DocumentTemplate

from .conftest import body, docx_text


@pytest.fixture
def sysadmin(tree):
    return UserFactory(username="sysadmin", organization=tree.province, role=Role.SYSTEM_ADMIN)


def custom_template() -> bytes:
    doc = Document()
    doc.add_paragraph("本单位自定义模板 {{ title }}")
    doc.add_paragraph("{%p for s in sections %}")
    doc.add_paragraph("{{ s.heading }}")
    doc.add_paragraph("{%p endfor %}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_templates_upload_download_and_restore(client_for, sysadmin, a_admin, a_summary):
    assert client_for(a_admin).get("/documents/templates/").status_code == 403
    client = client_for(sysadmin)
    page = client.get("/documents/templates/").content.decode()
    assert "issue_no" in page and "sections[].activities[].photo" in page
    shipped = body(client.get("/documents/templates/summary/download/"))
    assert shipped == (TEMPLATE_DIR / "summary.docx").read_bytes()

    # One build of the file: a .docx is a zip, and two builds a second apart differ in their
    # timestamps.
    custom = custom_template()
    upload = SimpleUploadedFile("我的总结模板.docx", custom)
    response = client.post(
        "/documents/templates/", {"kind": "summary", "name": "本单位模板", "file": upload}
    )
    assert response.status_code == 302
    template = DocumentTemplate.objects.get(active=True)
    assert "本单位模板" in client.get("/documents/templates/").content.decode()
    assert body(client.get("/documents/templates/summary/download/")) == custom
    doc = services.generate(a_admin, "summary", a_summary, "docx")
    assert "本单位自定义模板" in docx_text(doc.file.read())

    client.post(f"/documents/templates/{template.pk}/restore/")
    template.refresh_from_db()
    assert not template.active
    assert AuditLog.objects.filter(object_type__contains="template", action="update").exists()
    doc = services.generate(a_admin, "summary", a_summary, "docx")
    assert "本单位自定义模板" not in docx_text(doc.file.read())


def test_bad_templates_are_refused_in_chinese(client_for, sysadmin):
    client = client_for(sysadmin)
    cases = [
        (SimpleUploadedFile("说明.txt", b"hello"), "请上传"),
        (SimpleUploadedFile("坏文件.docx", b"not a zip at all"), "不是可用的 Word 模板"),
    ]
    broken = Document()
    broken.add_paragraph("{{ title ")
    out = io.BytesIO()
    broken.save(out)
    cases.append((SimpleUploadedFile("坏语法.docx", out.getvalue()), "不是可用的 Word 模板"))
    for upload, message in cases:
        response = client.post("/documents/templates/", {"kind": "bulletin", "file": upload})
        assert response.status_code == 400
        assert message in response.content.decode(), message
    assert not DocumentTemplate.objects.exists()
