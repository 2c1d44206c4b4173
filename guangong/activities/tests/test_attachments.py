"""Photos and documents of an activity: checked by content, shrunk, served only in scope."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from guangong.activities.models import ActivityAttachment
from guangong.audit.models import Action, AuditLog
from guangong.core.tests.support import text

pytestmark = pytest.mark.usefixtures("media")


def jpeg_with_gps(width=3200, height=2000) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x8825] = {1: "N", 2: (43.0, 55.0, 1.0)}  # GPS IFD: latitude
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def office(main_part: str, extra: dict | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<document/>")
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return out.getvalue()


def upload(client, activity, name: str, content: bytes):
    return client.post(
        f"/activities/{activity.pk}/attachments/",
        {"file": SimpleUploadedFile(name, content)},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )


def test_a_photo_is_shrunk_and_stripped_of_exif(client_for, ledger, a_admin):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif()  # the fixture really carries EXIF

    response = upload(client_for(a_admin), ledger["county_a"], "现场.JPG", original)

    assert response.status_code == 302
    attachment = ActivityAttachment.objects.get()
    assert attachment.kind == "photo" and attachment.name == "现场.jpg"
    with attachment.file.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
        assert stored.format == "JPEG"
        assert max(stored.size) == 1600 and stored.size == (1600, 1000)
        assert not stored.getexif()
    assert "现场" not in attachment.file.name  # the user's name never becomes a path
    log = AuditLog.objects.get(object_type="activities.activityattachment")
    assert log.action == Action.CREATE and log.org_path == ledger["county_a"].organization.path


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("报告.pdf", b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF", "document"),
        ("总结.docx", office("word/document.xml"), "document"),
        ("名单.xlsx", office("xl/workbook.xml"), "document"),
        ("合影.png", None, "photo"),
    ],
)
def test_accepted_types(client_for, ledger, a_admin, name, content, kind):
    if content is None:
        out = io.BytesIO()
        Image.new("RGBA", (40, 30)).save(out, "PNG")
        content = out.getvalue()
    assert upload(client_for(a_admin), ledger["county_a"], name, content).status_code == 302
    assert ActivityAttachment.objects.get().kind == kind


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("照片.jpg", b"just some text pretending to be a photo"),
        ("脚本.pdf", b"<script>alert(1)</script>"),
        ("宏.docx", office("word/document.xml", {"word/vbaProject.bin": "x"})),
        ("压缩包.docx", office("other/thing.xml")),
        ("图.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
    ],
)
def test_refused_types_are_told_in_chinese_and_not_stored(
    client_for, ledger, a_admin, name, content
):
    response = upload(client_for(a_admin), ledger["county_a"], name, content)

    assert response.status_code == 400
    errors = response.context["attachment_form"].errors["file"]
    assert any("\u4e00" <= c <= "\u9fff" for c in errors[0]), errors
    assert not ActivityAttachment.objects.exists()


def test_the_size_limit_comes_from_the_settings(client_for, ledger, a_admin, settings):
    settings.ACTIVITY_ATTACHMENT_MAX_BYTES = 1000
    content = b"%PDF-1.7\n" + b"0" * 2000

    response = upload(client_for(a_admin), ledger["county_a"], "大文件.pdf", content)

    assert response.status_code == 400
    message = response.context["attachment_form"].errors["file"][0]
    assert "大于" in message or "超过" in message, message
    assert not ActivityAttachment.objects.exists()


def test_downloads_are_in_scope_only(client_for, ledger, a_admin, b_admin, city_admin):
    upload(client_for(a_admin), ledger["county_a"], "总结.pdf", b"%PDF-1.4 a")
    upload(client_for(b_admin), ledger["joint"], "联合.pdf", b"%PDF-1.4 b")
    own, joint = ActivityAttachment.objects.order_by("pk")
    own_url = f"/activities/{ledger['county_a'].pk}/attachments/{own.pk}/"
    joint_url = f"/activities/{ledger['joint'].pk}/attachments/{joint.pk}/"

    response = client_for(a_admin).get(own_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 a"
    assert "attachment" in response["Content-Disposition"]
    assert client_for(city_admin).get(own_url).status_code == 200
    assert client_for(b_admin).get(own_url).status_code == 404
    # An attachment reached through another activity's address is not found either.
    wrong = f"/activities/{ledger['joint'].pk}/attachments/{own.pk}/"
    assert client_for(b_admin).get(wrong).status_code == 404
    # The co-organiser reads the joint activity's files but cannot add or remove any.
    assert client_for(a_admin).get(joint_url).status_code == 200
    assert upload(client_for(a_admin), ledger["joint"], "再传.pdf", b"%PDF-1").status_code == 404
    assert client_for(a_admin).post(joint_url + "delete/").status_code == 404
    # No public media address serves the stored files.
    assert client_for(a_admin).get("/media/" + own.file.name).status_code == 404


def test_detail_shows_photos_as_thumbnails_and_documents_as_links(client_for, ledger, a_admin):
    client = client_for(a_admin)
    out = io.BytesIO()
    Image.new("RGB", (40, 30)).save(out, "WEBP")
    upload(client, ledger["county_a"], "合影.webp", out.getvalue())
    upload(client, ledger["county_a"], "报告.pdf", b"%PDF-1.4")
    body = text(client.get(f"/activities/{ledger['county_a'].pk}/"))
    assert 'class="img-thumbnail gg-thumb"' in body
    assert "报告.pdf</a>" in body


def test_deleting_an_attachment_is_audited_and_removes_the_file(
    client_for, ledger, a_admin, django_capture_on_commit_callbacks
):
    client = client_for(a_admin)
    upload(client, ledger["county_a"], "报告.pdf", b"%PDF-1.4")
    attachment = ActivityAttachment.objects.get()
    storage, name = attachment.file.storage, attachment.file.name
    url = f"/activities/{ledger['county_a'].pk}/attachments/{attachment.pk}/delete/"

    assert client.get(url).status_code == 200  # the confirmation changes nothing
    assert ActivityAttachment.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    assert response.status_code == 302
    assert not ActivityAttachment.objects.exists()
    assert AuditLog.objects.filter(
        object_type="activities.activityattachment", action=Action.DELETE
    ).exists()
    assert not storage.exists(name)
