"""What an uploaded photo or document is, judged by its content, and what is stored of it.

Used by the attachments of activities and of care cases; each passes a ``Policy`` (which
documents it takes, the size limit, whether photos are shrunk, the message naming what it
accepts).

The extension and the browser's claim decide nothing. Photos (JPEG, PNG, WebP) are decoded with
Pillow, turned upright and encoded again — shrunk to ``Policy.max_side`` pixels on the long side
when the policy says so: what is stored carries no EXIF (no GPS position, no camera serial) and
nothing appended to the image, and a file that is not really an image never reaches the disk.
Documents are recognised by their signature (PDF) or, for the Office formats, by the parts
inside the zip; macro-enabled files are refused. Every refusal is a ``ValidationError`` worded
for the user.
"""

from __future__ import annotations

import io
import pathlib
import secrets
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

PHOTO = "photo"
DOCUMENT = "document"

#: Pillow refuses to decode anything larger (a "decompression bomb" is a few KB of file).
MAX_PIXELS = 60_000_000
IMAGE_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: The part that makes a zip an Office document of each kind.
OFFICE_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
CONTENT_TYPES = dict(IMAGE_FORMATS.values()) | DOCUMENT_TYPES


@dataclass(frozen=True)
class Policy:
    #: Accepted document extensions, among ``DOCUMENT_TYPES``.
    documents: frozenset[str]
    max_bytes: int
    #: Long side of a stored photo in pixels; None keeps the photo's size.
    max_side: int | None
    #: The refusal of any other file: it names what is accepted.
    refusal: str


@dataclass(frozen=True)
class Checked:
    kind: str  # PHOTO or DOCUMENT
    extension: str  # without the dot
    content: bytes
    name: str  # the name shown to users (the uploaded one, extension corrected)

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.extension]

    def storage_name(self) -> str:
        """A random name on disk: the user's file name (itself personal data, sometimes) never
        becomes a path."""
        return f"{secrets.token_hex(12)}.{self.extension}"


def content_type_of(name: str) -> str:
    """The content type of a stored file, by the extension it was stored under."""
    extension = pathlib.PurePath(name).suffix.lower().lstrip(".")
    return CONTENT_TYPES.get(extension, "application/octet-stream")


def check_upload(upload, policy: Policy) -> Checked:
    """The upload as it will be stored, or ValidationError with the reason in words."""
    limit = policy.max_bytes
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _too_big(limit)
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_big(limit)
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    original = getattr(upload, "name", "") or ""
    if data.startswith(b"%PDF-"):
        extension = "pdf"
    elif data.startswith(b"PK\x03\x04"):
        extension = _office(data)
    else:
        photo = _photo(data, policy.max_side)
        if photo is None:
            raise _refuse(policy)
        content, extension = photo
        return Checked(PHOTO, extension, content, _display_name(original, extension))
    if extension not in policy.documents:
        raise _refuse(policy)
    return Checked(DOCUMENT, extension, data, _display_name(original, extension))


def _display_name(original: str, extension: str) -> str:
    stem = pathlib.PurePath(original).stem.strip()[:150] or _("attachment")
    return f"{stem}.{extension}"


def _refuse(policy: Policy) -> ValidationError:
    return ValidationError(str(policy.refusal), code="file_type")


def _too_big(limit: int) -> ValidationError:
    return ValidationError(
        _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)},
        code="file_size",
    )


def _photo(data: bytes, max_side: int | None) -> tuple[bytes, str] | None:
    """The photo re-encoded (and shrunk), with its extension; None if ``data`` is no image."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            if fmt not in IMAGE_FORMATS:
                return None
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(
                    _("This photo is too large (%(w)d × %(h)d pixels).")
                    % {"w": probe.width, "h": probe.height},
                    code="too_many_pixels",
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)  # upright, as the EXIF said
            if max_side:
                image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            # No exif=…: nothing of the original's metadata is written.
            if fmt == "JPEG":
                if image.mode not in ("RGB", "L"):
                    image = image.convert("RGB")
                image.save(out, "JPEG", quality=85, optimize=True)
            elif fmt == "PNG":
                image.save(out, "PNG", optimize=True)
            else:
                image.save(out, "WEBP", quality=85)
    except (UnidentifiedImageError, Image.DecompressionBombError):
        return None
    except (OSError, SyntaxError, ValueError) as exc:  # truncated or damaged image data
        message = _("This photo is damaged and cannot be read.")
        raise ValidationError(message, code="damaged") from exc
    return out.getvalue(), IMAGE_FORMATS[fmt][0]


def _office(data: bytes) -> str | None:
    """``docx`` or ``xlsx`` if ``data`` is such a document (without macros), else None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise ValidationError(_("Documents with macros are not accepted."), code="macros")
    for extension, part in OFFICE_MAIN_PART.items():
        if part in names:
            return extension
    return None
