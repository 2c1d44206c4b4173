"""The consent the requester gives, by version: a change of wording is a new version, and each
request records the version its requester agreed to."""

from django.utils.translation import gettext_lazy as _

CONSENT_VERSION = "2026-1"

CONSENT_TEXT = _(
    "I agree that the committee I chose, and the committees it refers my request to, use what "
    "I wrote and my phone number to answer my request and to help, and keep them for this "
    "purpose only. A young person under 14 asks with the consent of a parent or guardian."
)
