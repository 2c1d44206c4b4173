"""Checking uploaded case attachments: the type by content, the size, and clean photos.

A file's type is what its bytes say, never its name or the browser's claim: JPEG, PNG and WebP
photos, PDF and Word (.docx) documents. Photos are decoded and encoded again, which drops EXIF
(a phone's photo carries where and when it was taken) and anything appended to the image.
"""

import io
import pathlib
import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: Largest accepted upload.
MAX_BYTES = int(getattr(settings, "CARE_ATTACHMENT_MAX_MB", 10)) * 1024 * 1024
#: Largest photo in pixels (a decompression bomb stays a refusal, not an outage).
MAX_PIXELS = 40_000_000

IMAGE_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
CONTENT_TYPES = {
    ".jpg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    **DOCUMENT_TYPES,
}


@dataclass
class Checked:
    kind: str  # "photo" or "document"
    extension: str
    content: bytes
    name: str  # the shown name: the uploaded name's stem with the real extension


def sniff(head: bytes) -> str | None:
    """The extension the first bytes announce, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return ".jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return ".png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return ".webp"
    if head.startswith(b"%PDF-"):
        return ".pdf"
    if head.startswith(b"PK\x03\x04"):
        return ".docx"  # confirmed by its parts below
    return None


def _is_docx(content: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return False
    return "[Content_Types].xml" in names and "word/document.xml" in names


def _clean_image(content: bytes, extension: str) -> bytes:
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.format not in IMAGE_FORMATS or IMAGE_FORMATS[image.format] != extension:
                raise ValidationError(_("The photo could not be read."))
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("The photo is too large."))
            image.load()
            image = ImageOps.exif_transpose(image)  # keep the orientation the EXIF gave
            fmt = {".jpg": "JPEG", ".png": "PNG", ".webp": "WEBP"}[extension]
            if fmt == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            options = {"quality": 90} if fmt in ("JPEG", "WEBP") else {}
            image.save(out, format=fmt, **options)  # no exif=…: nothing of the original's
            return out.getvalue()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("The photo could not be read.")) from exc


def check(upload) -> Checked:
    """Read and check an upload; a refusal is a ValidationError in Chinese."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    content = upload.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    extension = sniff(content[:16])
    if extension == ".docx" and not _is_docx(content):
        extension = None
    if extension is None:
        raise ValidationError(
            _("Only JPEG, PNG or WebP photos and PDF or Word (.docx) documents are accepted.")
        )
    stem = pathlib.PurePath(upload.name or "").stem[:150] or _("attachment")
    if extension in DOCUMENT_TYPES:
        return Checked("document", extension, content, stem + extension)
    return Checked("photo", extension, _clean_image(content, extension), stem + extension)


def stored_name(extension: str) -> str:
    """A random file name: the uploaded name may itself be personal data."""
    return uuid.uuid4().hex + extension


def content_type(name: str) -> str:
    return CONTENT_TYPES.get(pathlib.PurePath(name).suffix.lower(), "application/octet-stream")
