"""Photos and documents of an activity, checked by ``core.uploads``.

An activity takes JPEG, PNG and WebP photos, shrunk to ``MAX_SIDE`` pixels on the long side
(they illustrate bulletins and pages, not evidence), and PDF, Word .docx and Excel .xlsx
documents (sign-in sheets, programmes) up to ``ACTIVITY_ATTACHMENT_MAX_BYTES``.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from guangong.core import uploads
from guangong.core.uploads import Checked, content_type_of

__all__ = ["MAX_SIDE", "Checked", "check_upload", "content_type_of", "policy"]

#: Longest side of a stored photo, in pixels.
MAX_SIDE = 1600


def policy() -> uploads.Policy:
    """Read when used, so that a changed setting applies at once."""
    return uploads.Policy(
        documents=frozenset({"pdf", "docx", "xlsx"}),
        max_bytes=settings.ACTIVITY_ATTACHMENT_MAX_BYTES,
        max_side=MAX_SIDE,
        refusal=_(
            "This file type is not accepted. Upload a photo (JPEG, PNG or WebP) or a document "
            "(PDF, Word .docx or Excel .xlsx)."
        ),
    )


def check_upload(upload) -> Checked:
    """The upload as it will be stored, or ValidationError with the reason in words."""
    return uploads.check_upload(upload, policy())
