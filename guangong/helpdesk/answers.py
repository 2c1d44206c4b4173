"""The requester's answer on the status page (no account): an audited action like the public
submission (``services.submit``); what they wrote enters the audit log by its length only."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from guangong.audit.services import record_saved
from guangong.core.actions import action

from .models import HelpReply, HelpRequest, Status
from .services import PUBLIC_USER, _not_final, _state


@action("submit")
def answer_back(actor, req: HelpRequest, text: str) -> HelpReply:
    """The requester's answer on the status page (``actor`` None: no account): shown in the
    conversation, and the request is open again for its care workers."""
    req = HelpRequest.objects.select_for_update().get(pk=req.pk)
    _not_final(req)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the reply.")})
    if len(text) > 2000:
        raise ValidationError({"text": _("At most 2000 characters.")})
    before = _state(req)
    answer = HelpReply.objects.create(
        request=req, text=text, public=True, from_requester=True, author_name=_("Requester")
    )
    if req.status == Status.REPLIED:
        req.status = Status.IN_PROGRESS
    req.save()
    message = _("The requester answered (%(n)d characters)") % {"n": len(text)}
    record_saved(None, req, before, _state(req), message=message, username=PUBLIC_USER)
    return answer
