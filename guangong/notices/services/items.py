"""Every change to information items: sending (and sending again after a return), photos,
the handler's decision (adopt, return with a reason, forward to the organisation above), and
putting an adopted item into a draft bulletin."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from guangong.audit.services import Action, record, snapshot
from guangong.core.actions import action
from guangong.core.resources import policy_for
from guangong.core.scope import OutOfScope
from guangong.core.services import record_saved, record_update
from guangong.documents.models import Bulletin, DocumentStatus
from guangong.documents.services import save_bulletin
from guangong.notifications import notify
from guangong.orgs.models import Organization

from .. import attachments
from ..models import InfoItem, ItemPhoto, ItemStatus
from ..models.items import ITEM_TEXT_MAX, ITEM_TITLE_MAX, OPEN, REASON_MAX

#: The bulletin section each kind of item goes under (others: their kind's name).
HEADINGS = {"工作动态": "【工作动态】", "经验做法": "【基层经验】", "五老典型": "【典型风采】"}


def parent_of(org: Organization) -> Organization | None:
    if org.depth <= 1:
        return None
    return Organization.objects.get(path=org.path[: -Organization.steplen])


def _stored(item: InfoItem) -> InfoItem:
    return InfoItem.objects.select_related("organization", "handler", "kind").get(pk=item.pk)


@action("write", model=InfoItem)
def save_item(actor, item: InfoItem) -> InfoItem:
    """Send a new item to the sender's parent, or change one not yet decided; a returned item
    saved again is sent again."""
    org = Organization.objects.get(pk=item.organization_id)
    if not policy_for(InfoItem).allows_path(actor, "write", org.path):
        raise OutOfScope()
    before = None
    if item.pk:
        stored = _stored(item)
        if stored.status not in (ItemStatus.PENDING, ItemStatus.RETURNED):
            raise ValidationError(_("This item has been decided on; it cannot be changed."))
        before = snapshot(stored)
        if stored.organization_id != item.organization_id:
            raise ValidationError({"organization": _("The sender of an item cannot change.")})
    else:
        item.created_by = actor if getattr(actor, "pk", None) else None
    parent = parent_of(org)
    if parent is None:
        raise ValidationError({"organization": _("This organisation has nobody above it.")})
    item.title = (item.title or "").strip()
    item.text = (item.text or "").strip()
    if len(item.title) > ITEM_TITLE_MAX:
        raise ValidationError({"title": _("At most %(n)d characters.") % {"n": ITEM_TITLE_MAX}})
    if len(item.text) > ITEM_TEXT_MAX:
        raise ValidationError({"text": _("At most %(n)d characters.") % {"n": ITEM_TEXT_MAX}})
    if item.status == ItemStatus.RETURNED or not item.pk:
        item.sent_on = timezone.localdate()
        item.status = ItemStatus.PENDING
        item.handler = parent
        item.reason = ""
    item.full_clean(exclude=["created_by", "bulletin", "adopted_by"])
    item.save()
    record_saved(actor, item, before, parent=org)
    return item


@action("write", model=InfoItem)
def add_photo(actor, item: InfoItem, upload) -> ItemPhoto:
    checked = attachments.check_photo(upload)
    item = _stored(item)
    if item.status not in (ItemStatus.PENDING, ItemStatus.RETURNED):
        raise ValidationError(_("This item has been decided on; it cannot be changed."))
    photo = ItemPhoto(item=item, uploaded_by=actor if getattr(actor, "pk", None) else None)
    stored = photo.store(checked)
    try:
        photo.save()
        record(actor, Action.CREATE, photo, after={"name": photo.name}, parent=item)
    except Exception:
        photo.file.storage.delete(stored)
        raise
    return photo


def _deciding(actor, item: InfoItem) -> tuple[InfoItem, dict]:
    item = _stored(item)
    if item.status not in OPEN:
        raise ValidationError(
            _("This item is “%(status)s”; it has been decided on.")
            % {"status": item.get_status_display()}
        )
    if not policy_for(InfoItem).allows(actor, "approve", item):
        raise PermissionDenied(
            _("Only the organisation holding the item, or one above it, decides.")
        )
    return item, snapshot(item)


def _decided(actor, item: InfoItem, before: dict, message: str) -> None:
    """Save a decision. The decisions return nothing: a decided item is no longer the actor's
    to decide, which an action checks of the row it returns."""
    item.decided_at = timezone.now()
    item.decided_by_name = str(actor)
    item.save()
    record_update(actor, item, before, parent=item.organization, message=message)
    notify("info_item_decided", item=item)  # the sender's users, when adopted or returned


@action("approve", model=InfoItem)
def accept(actor, item: InfoItem) -> None:
    """Adopt the item (采用) at the organisation holding it."""
    item, before = _deciding(actor, item)
    item.status = ItemStatus.ACCEPTED
    item.adopted_by = item.handler
    _decided(actor, item, before, _("Adopted by %(org)s") % {"org": item.handler.name})


@action("approve", model=InfoItem)
def return_item(actor, item: InfoItem, reason: str) -> None:
    """Send the item back to its sender, saying why."""
    item, before = _deciding(actor, item)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the item is returned.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("At most %(n)d characters.") % {"n": REASON_MAX}})
    item.status = ItemStatus.RETURNED
    item.reason = reason
    _decided(actor, item, before, _("Returned: %(reason)s") % {"reason": reason})


@action("approve", model=InfoItem)
def forward(actor, item: InfoItem) -> None:
    """Pass the item on to the organisation above its holder, which decides from then on."""
    item, before = _deciding(actor, item)
    above = parent_of(item.handler)
    if above is None:
        raise ValidationError(_("There is no organisation above to forward it to."))
    item.status = ItemStatus.FORWARDED
    item.handler = above
    _decided(actor, item, before, _("Forwarded to %(org)s") % {"org": above.name})


def draft_bulletins(actor):
    """The draft bulletins the actor may add an item to."""
    return (
        Bulletin.objects.editable_by(actor)
        .filter(status=DocumentStatus.DRAFT)
        .select_related("organization")
        .order_by("-year", "-issue_no")
    )


@action("use", model=InfoItem)
def add_to_bulletin(actor, item: InfoItem, bulletin: Bulletin) -> Bulletin:
    """Append an adopted item's title and text to a draft bulletin (under the section of its
    kind, made when missing)."""
    item = _stored(item)
    if item.status != ItemStatus.ACCEPTED:
        raise ValidationError(_("Only an adopted item can go into a bulletin."))
    if bulletin is None or not draft_bulletins(actor).filter(pk=bulletin.pk).exists():
        raise ValidationError({"bulletin": _("Choose a draft bulletin within your scope.")})
    bulletin = Bulletin.objects.get(pk=bulletin.pk)
    heading = HEADINGS.get(item.kind.label, f"【{item.kind.label}】")
    sections = list(bulletin.sections or [])
    section = next((s for s in sections if s.get("heading") == heading), None)
    if section is None:
        section = {"heading": heading, "paragraphs": [], "activities": []}
        sections.append(section)
    lines = [p.strip() for p in item.text.splitlines() if p.strip()]
    section["paragraphs"] = [
        *section.get("paragraphs", []),
        f"{item.title}（{item.organization.short_name or item.organization.name}）",
        *lines,
    ]
    bulletin.sections = sections
    save_bulletin(actor, bulletin)
    before = snapshot(item)
    item.bulletin = bulletin
    item.save(update_fields=["bulletin", "updated_at"])
    record_update(actor, item, before, parent=item.organization, message=str(bulletin))
    return bulletin
