"""Evidence of progress on a task, checked by ``core.uploads``: JPEG, PNG and WebP photos
(shrunk), PDF, Word .docx and Excel .xlsx."""

from django.conf import settings
from django.utils.translation import gettext as _

from guangong.core import uploads
from guangong.core.uploads import Checked, content_type_of

__all__ = ["Checked", "check_upload", "content_type_of"]


def policy() -> uploads.Policy:
    return uploads.Policy(
        documents=frozenset({"pdf", "docx", "xlsx"}),
        max_bytes=settings.ACTIVITY_ATTACHMENT_MAX_BYTES,
        max_side=1600,
        refusal=_(
            "This file type is not accepted. Upload a photo (JPEG, PNG or WebP) or a document "
            "(PDF, Word .docx or Excel .xlsx)."
        ),
    )


def check_upload(upload) -> Checked:
    return uploads.check_upload(upload, policy())
