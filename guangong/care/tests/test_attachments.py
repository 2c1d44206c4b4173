"""Attachments: the type is what the bytes say, photos lose their EXIF, downloads are scoped
and logged, photos need the reveal verb."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from guangong.care.models import Access, Attachment

GPS_TAG = 0x8825
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0132] = "2026:03:01 10:00:00"  # DateTime
    exif[GPS_TAG] = {1: "N", 2: (43.0, 54.0, 0.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return out.getvalue()


def upload(client, case, name: str, content: bytes, content_type="application/octet-stream"):
    return client.post(
        f"/care/{case.pk}/attachments/new/",
        {"file": SimpleUploadedFile(name, content, content_type=content_type)},
    )


def test_photos_are_re_encoded_without_exif(case, client_for, a_care):
    original = jpeg_with_exif()
    assert Image.open(io.BytesIO(original)).getexif()
    response = upload(client_for(a_care), case, "孩子照片.jpg", original, "image/jpeg")
    assert response.status_code == 302
    photo = Attachment.objects.get()
    assert photo.kind == "photo" and photo.name == "孩子照片.jpg"
    assert "孩子" not in photo.file.name  # stored under a random name
    stored = photo.file.read()
    assert stored != original
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert b"PhoneMaker" not in stored


def test_the_type_is_read_from_the_content(case, client_for, a_care):
    client = client_for(a_care)
    assert upload(client, case, "证明.pdf", PDF).status_code == 302
    assert upload(client, case, "申请表.docx", docx()).status_code == 302
    for name, content in (
        ("病历.pdf", b"MZ\x90\x00 an executable"),
        ("photo.jpg", b"<svg onload=alert(1)>"),
        ("table.docx", b"PK\x03\x04 not really a zip"),
        ("fake.png", b"\x89PNG\r\n\x1a\n broken"),
    ):
        response = upload(client, case, name, content)
        assert response.status_code == 400, name
        assert "invalid-feedback" in response.content.decode()
    assert sorted(Attachment.objects.values_list("kind", flat=True)) == ["document", "document"]


def test_too_large_is_refused(case, client_for, a_care, settings):
    from guangong.care import attachments

    big = PDF + b"0" * (attachments.MAX_BYTES + 1)
    assert upload(client_for(a_care), case, "大文件.pdf", big).status_code == 400
    assert not Attachment.objects.exists()


def test_downloads_are_scoped_and_logged(case, client_for, a_care, a_approver, b_revealer):
    client = client_for(a_care)
    upload(client, case, "证明.pdf", PDF)
    upload(client, case, "照片.png", _png())
    document = Attachment.objects.get(kind="document")
    photo = Attachment.objects.get(kind="photo")

    response = client.get(f"/care/attachments/{document.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert client.get(f"/care/attachments/{photo.pk}/?inline=1").status_code == 200
    assert Access.objects.filter(kind="download", case=case).count() == 2

    assert client_for(b_revealer).get(f"/care/attachments/{document.pk}/").status_code == 404
    # Photos are hidden from those who may not reveal.
    assert client_for(a_approver).get(f"/care/attachments/{photo.pk}/").status_code == 403
    assert client_for(a_approver).get(f"/care/attachments/{document.pk}/").status_code == 200
    body = client_for(a_approver).get(f"/care/{case.pk}/").content.decode()
    assert f"/care/attachments/{photo.pk}/" not in body

    response = client_for(a_care).post(
        f"/care/{case.pk}/reveal/", {"field": "photos", "reason": "核对照片"}
    )
    assert f"/care/attachments/{photo.pk}/" in response.content.decode()


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="PNG")
    return out.getvalue()
