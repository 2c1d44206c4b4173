"""``core.uploads``: the type read from the content, per policy; photos cleaned."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from guangong.core import uploads

pytestmark = pytest.mark.usefixtures("english")


PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def policy(**changes) -> uploads.Policy:
    values = {
        "documents": frozenset({"pdf", "docx"}),
        "max_bytes": 1024 * 1024,
        "max_side": None,
        "refusal": "Photos, PDF or Word only.",
    }
    return uploads.Policy(**(values | changes))


def office(main_part: str, *extra: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<x/>")
        for name in extra:
            archive.writestr(name, "x")
    return out.getvalue()


def photo(width: int, height: int) -> bytes:
    image = Image.new("RGB", (width, height), (10, 120, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def check(content: bytes, name: str = "file.bin", **changes) -> uploads.Checked:
    return uploads.check_upload(SimpleUploadedFile(name, content), policy(**changes))


def test_documents_are_taken_only_when_the_policy_lists_them():
    sheet = office("xl/workbook.xml")
    with pytest.raises(ValidationError) as refused:
        check(sheet, "表.xlsx")
    assert refused.value.messages == ["Photos, PDF or Word only."]
    taken = check(sheet, "表.xlsx", documents=frozenset({"pdf", "docx", "xlsx"}))
    assert (taken.kind, taken.extension, taken.name) == ("document", "xlsx", "表.xlsx")
    assert taken.content == sheet


def test_the_name_follows_the_content_not_the_extension():
    checked = check(PDF, "扫描件.jpg")
    assert (checked.kind, checked.name, checked.content_type) == (
        "document",
        "扫描件.pdf",
        "application/pdf",
    )
    assert checked.storage_name().endswith(".pdf") and "扫描件" not in checked.storage_name()


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"MZ\x90\x00 an executable", "file_type"),
        (b"<svg onload=alert(1)>", "file_type"),
        (b"PK\x03\x04 not really a zip", "file_type"),
        (office("word/document.xml", "word/vbaProject.bin"), "macros"),
        (b"", "empty"),
    ],
)
def test_refusals_say_why(content, code):
    with pytest.raises(ValidationError) as refused:
        check(content)
    assert refused.value.code == code


def test_the_size_limit():
    with pytest.raises(ValidationError) as refused:
        check(PDF + b"0" * 2000, max_bytes=1000)
    assert refused.value.code == "file_size"


def test_photos_lose_their_exif_and_shrink_only_when_the_policy_says():
    original = photo(2400, 1200)
    kept = check(original, "a.jpg")
    shrunk = check(original, "a.jpg", max_side=600)
    for checked in (kept, shrunk):
        assert checked.kind == "photo" and b"PhoneMaker" not in checked.content
        assert not Image.open(io.BytesIO(checked.content)).getexif()
    assert Image.open(io.BytesIO(kept.content)).size == (2400, 1200)
    assert Image.open(io.BytesIO(shrunk.content)).size == (600, 300)


def test_a_damaged_photo_is_told_as_such():
    with pytest.raises(ValidationError) as refused:
        check(photo(50, 50)[:200], "坏.jpg")
    assert refused.value.code == "damaged"


def test_content_types_of_stored_names():
    assert uploads.content_type_of("care/1/ab.webp") == "image/webp"
    assert uploads.content_type_of("x/unknown.exe") == "application/octet-stream"
