"""Files of notices and feedback, and photos of information items, checked by
``core.uploads``: photos (JPEG, PNG, WebP; shrunk) and PDF, Word .docx and Excel .xlsx
documents, up to the activities' limit."""

from django.conf import settings
from django.utils.translation import gettext as _

from guangong.core import uploads
from guangong.core.uploads import Checked, content_type_of

__all__ = ["Checked", "check_photo", "check_upload", "content_type_of"]

MAX_SIDE = 1600


def _policy(documents: frozenset) -> uploads.Policy:
    return uploads.Policy(
        documents=documents,
        max_bytes=settings.ACTIVITY_ATTACHMENT_MAX_BYTES,
        max_side=MAX_SIDE,
        refusal=_(
            "This file type is not accepted. Upload a photo (JPEG, PNG or WebP) or a document "
            "(PDF, Word .docx or Excel .xlsx)."
        )
        if documents
        else _("Only JPEG, PNG or WebP photos are accepted."),
    )


def check_upload(upload) -> Checked:
    """A notice's or a feedback's file, as it will be stored; else ValidationError."""
    return uploads.check_upload(upload, _policy(frozenset({"pdf", "docx", "xlsx"})))


def check_photo(upload) -> Checked:
    """An information item's photo; else ValidationError."""
    return uploads.check_upload(upload, _policy(frozenset()))
