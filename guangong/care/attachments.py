"""Photos and documents of a care case, checked by ``core.uploads``.

A case takes JPEG, PNG and WebP photos at their own size (they may be evidence of a child's
situation; EXIF is dropped all the same, since a phone's photo carries where and when it was
taken) and PDF and Word .docx documents, up to ``CARE_ATTACHMENT_MAX_MB``.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from guangong.core import uploads
from guangong.core.uploads import Checked, content_type_of

__all__ = ["MAX_BYTES", "Checked", "check", "content_type_of", "policy"]

#: Largest accepted upload.
MAX_BYTES = settings.CARE_ATTACHMENT_MAX_MB * 1024 * 1024


def policy() -> uploads.Policy:
    return uploads.Policy(
        documents=frozenset({"pdf", "docx"}),
        max_bytes=MAX_BYTES,
        max_side=None,
        refusal=_("Only JPEG, PNG or WebP photos and PDF or Word (.docx) documents are accepted."),
    )


def check(upload) -> Checked:
    """Read and check an upload; a refusal is a ValidationError in Chinese."""
    return uploads.check_upload(upload, policy())
