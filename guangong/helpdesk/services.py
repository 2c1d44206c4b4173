"""Every change to help requests: the public submission, and the care workers' replies,
referrals, closings and conversions into care cases.

Each staff function checks the actor's verbs (``care`` and ``edit``; ``reveal`` for the phone)
and that the request's owning organisation is in scope, then writes the change and the audit
record in one transaction. The requester's phone and what they wrote never enter the audit log:
it records that they are there, masked or by length.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guangong.audit.services import (
    Action,
    record,
    record_reveal,
    record_saved,
    reveal_reason,
    snapshot,
)
from guangong.care.models import Case
from guangong.care.services.cases import save_case
from guangong.core import crypto, idnumber
from guangong.core.actions import action
from guangong.core.resources import policy_for
from guangong.core.scope import subtree_q
from guangong.core.validators import mask_phone, normalize_phone, validate_mobile
from guangong.dicts.models import DictItem, DictKind
from guangong.notifications import notify
from guangong.orgs.models import ESTABLISHED_STATUSES, Organization
from guangong.people.models import Youth
from guangong.people.services.persons import save_person

from .consent import CONSENT_VERSION
from .models import (
    FINAL,
    HelpReferral,
    HelpReply,
    HelpRequest,
    Status,
    new_code,
    normalize_code,
)

PUBLIC_USER = "public"


def phone_key(raw: str) -> str:
    """The keyed hash a phone number is found by (normalised first)."""
    return crypto.blind_index(normalize_phone(raw))


def public_places():
    """The organisations the public may address: established committees."""
    return Organization.objects.filter(status__in=ESTABLISHED_STATUSES)


def _state(req: HelpRequest) -> dict:
    data = snapshot(req)
    data["description"] = _("(%(n)d characters)") % {"n": len(req.description)}
    data["requester_name"] = _("(recorded)") if req.requester_name else ""
    return data


# --- The public submission ------------------------------------------------------------------


@action("submit")
def submit(
    actor,
    *,
    kind: DictItem,
    organization: Organization,
    description: str,
    phone: str,
    requester_name: str = "",
    relation: str = "self",
    youth_age: int | None = None,
    consent: bool = False,
    sms_consent: bool = False,
) -> HelpRequest:
    """Store a request from the public (``actor`` None: no account) and return it with its
    tracking code."""
    errors = {}
    if not consent:
        errors["consent"] = _("Agree to the use of your data, or we cannot answer you.")
    if kind is None or kind.kind != DictKind.CASE_KIND or not kind.active:
        errors["kind"] = _("Choose a kind of help.")
    if organization is None or not public_places().filter(pk=organization.pk).exists():
        errors["organization"] = _("Choose a committee from the list.")
    phone = normalize_phone(phone)
    try:
        validate_mobile(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    if errors:
        raise ValidationError(errors)
    req = HelpRequest(
        kind=kind,
        addressed_to=organization,
        organization=organization,
        description=(description or "").strip(),
        requester_name=(requester_name or "").strip(),
        phone_enc=crypto.encrypt(phone),
        phone_hash=phone_key(phone),
        phone_masked=mask_phone(phone),
        relation=relation,
        youth_age=youth_age,
        consent_version=CONSENT_VERSION,
        consent_at=timezone.now(),
        sms_consent=bool(sms_consent),
        status=Status.NEW,
    )
    req.code = new_code()
    req.full_clean(exclude=["code"])
    for _attempt in range(5):
        try:
            with transaction.atomic():
                req.save()
            break
        except IntegrityError:  # the code was taken: draw another
            req.pk, req.code = None, new_code()
    else:  # pragma: no cover - 31**10 codes
        raise ValidationError(_("Please try again."))
    record(None, Action.CREATE, req, after=_state(req), username=PUBLIC_USER)
    return req


def find_by_code(code: str, phone: str) -> HelpRequest | None:
    """The request with this tracking code AND this phone; None for anything else alike."""
    code = normalize_code(code)
    phone = normalize_phone(phone)
    if not code or not phone:
        return None
    return HelpRequest.objects.filter(code=code, phone_hash=phone_key(phone)).first()


# --- Staff ----------------------------------------------------------------------------------


def refuse_read_only(actor, req: HelpRequest) -> None:
    """A request the actor reads only as an organisation that referred it on is refused with
    a reason (403) before an action would answer 404 for it."""
    policy = policy_for(HelpRequest)
    read_only = not policy.allows(actor, "write", req) and policy.allows(actor, "read", req)
    if read_only and policy.may(actor, "write"):
        raise PermissionDenied(
            _("This request was referred to another organisation; you can only read it.")
        )


def _editable(req: HelpRequest) -> HelpRequest:
    """The request as stored (the action has locked it and checked its scope)."""
    return HelpRequest.objects.select_related("organization", "kind").get(pk=req.pk)


def _not_final(req: HelpRequest) -> None:
    if req.status in FINAL:
        raise ValidationError(
            _("This request is “%(status)s”; nothing more can be done with it.")
            % {"status": req.get_status_display()}
        )


def _save(actor, req: HelpRequest, before: dict, message: str) -> HelpRequest:
    req.save()
    record_saved(actor, req, before, _state(req), message=message)
    return req


@action("write", model=HelpRequest)
def reply(actor, req: HelpRequest, text: str, public: bool = True) -> HelpReply:
    """Answer the requester (``public``) or leave a note for the care workers."""
    req = _editable(req)
    _not_final(req)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the reply.")})
    if len(text) > 2000:
        raise ValidationError({"text": _("At most 2000 characters.")})
    before = _state(req)
    answer = HelpReply.objects.create(
        request=req,
        text=text,
        public=public,
        author=actor,
        author_name=str(actor),
        organization=actor.organization,
    )
    if public:
        req.status = Status.REPLIED
        if req.sms_consent:
            notify("help_replied", reply=answer)  # an SMS to the requester, after commit
    elif req.status in (Status.NEW, Status.REFERRED):
        req.status = Status.IN_PROGRESS
    if req.assigned_to_id is None:
        req.assigned_to = actor
    message = _("Public reply (%(n)d characters)") if public else _("Note (%(n)d characters)")
    _save(actor, req, before, message % {"n": len(text)})
    return answer


@action("write", model=HelpRequest)
def assign(actor, req: HelpRequest, worker=None) -> HelpRequest:
    """Make ``worker`` (default: the actor) the care worker of the request."""
    req = _editable(req)
    _not_final(req)
    worker = worker or actor
    worker_path = worker.scope_path
    if (
        not policy_for(HelpRequest).may(worker, "read")
        or worker_path is None
        or not req.organization.path.startswith(worker_path)
        or not worker_path.startswith(actor.scope_path or "")
    ):
        raise ValidationError(
            {"assigned_to": _("Choose a care worker who may work on this organisation's requests.")}
        )
    before = _state(req)
    req.assigned_to = worker
    if req.status in (Status.NEW, Status.REFERRED):
        req.status = Status.IN_PROGRESS
    return _save(actor, req, before, _("Care worker: %(name)s") % {"name": worker})


def referral_targets(actor, req: HelpRequest):
    """Where a request may be referred: anywhere below the parent of the organisation that owns
    it (itself, its siblings and their subtrees), and anywhere in the actor's own scope; never
    to its current owner."""
    org = req.organization
    parent_path = org.path[: -Organization.steplen] if org.depth > 1 else org.path
    allowed = subtree_q("path", parent_path) | subtree_q("path", actor.scope_path or "")
    return Organization.objects.filter(allowed).exclude(pk=org.pk)


@action("write", model=HelpRequest)
def refer(actor, req: HelpRequest, to_org: Organization, note: str = "") -> HelpReferral:
    """Hand the request to ``to_org``, which owns it from now on; the organisation it leaves
    keeps read access."""
    req = _editable(req)
    _not_final(req)
    if to_org is None or not referral_targets(actor, req).filter(pk=to_org.pk).exists():
        raise ValidationError(
            {
                "to_org": _(
                    "Refer it to an organisation under the same parent, or within your scope."
                )
            }
        )
    before = _state(req)
    referral = HelpReferral.objects.create(
        request=req,
        from_org=req.organization,
        to_org=to_org,
        by=actor,
        by_name=str(actor),
        note=(note or "").strip()[:500],
    )
    req.organization = to_org
    req.status = Status.REFERRED
    req.assigned_to = None
    notify("help_referred", referral=referral, actor=actor)
    _save(
        actor,
        req,
        before,
        _("Referred from %(from)s to %(to)s") % {"from": referral.from_org.name, "to": to_org.name},
    )
    return referral


@action("write", model=HelpRequest)
def close(actor, req: HelpRequest, note: str = "") -> HelpRequest:
    """Close the request (an internal note may say why)."""
    req = _editable(req)
    _not_final(req)
    before = _state(req)
    note = (note or "").strip()
    if note:
        HelpReply.objects.create(
            request=req,
            text=note[:2000],
            public=False,
            author=actor,
            author_name=str(actor),
            organization=actor.organization,
        )
    req.status = Status.CLOSED
    return _save(actor, req, before, _("Request closed."))


@action("reveal", model=HelpRequest)
def reveal_phone(actor, req: HelpRequest, reason: str) -> str:
    """The requester's phone in clear, for a care worker who may reveal it; audited."""
    req = HelpRequest.objects.select_related("organization").get(pk=req.pk)
    reason = reveal_reason(reason, _("Say why you need to see this."), min_length=2)
    message = _("Requester's phone revealed: %(reason)s") % {"reason": reason[:300]}
    record_reveal(actor, req, message)
    return crypto.decrypt(req.phone_enc)


# --- Turning a request into a care case -----------------------------------------------------


def matching_youth(actor, name: str, phones=(), id_number: str = ""):
    """Young people in the actor's scope who may be the person a request is about: the same
    ID number, or the same name with one of ``phones`` (their own or their guardian's)."""
    qs = Youth.objects.visible_to(actor).current().select_related("organization")
    found = Q(pk__in=[])
    number = idnumber.normalize(id_number or "")
    if number:
        found |= Q(id_number_hash=crypto.blind_index(number))
    phones = sorted({normalize_phone(p) for p in phones if p})
    if name and phones:
        found |= Q(name=name.strip()) & (Q(phone__in=phones) | Q(guardian_phone__in=phones))
    return qs.filter(found).order_by("name", "pk")


def youth_with_phone(actor, req: HelpRequest):
    """Young people in scope whose own or guardian's phone is the requester's: the likely
    records to link when the request becomes a case."""
    phone = crypto.decrypt(req.phone_enc)
    qs = Youth.objects.visible_to(actor).current().select_related("organization")
    return qs.filter(Q(phone=phone) | Q(guardian_phone=phone)).order_by("name", "pk")


@action("write", model=HelpRequest)
def convert(
    actor,
    req: HelpRequest,
    *,
    youth: Youth | None = None,
    new_youth: Youth | None = None,
    id_number: str = "",
    allow_same_name: bool = False,
    care_worker=None,
) -> Case:
    """Turn the request into a care case of its owning organisation, for ``youth`` (an existing
    record in scope) or for ``new_youth`` (an unsaved record, created through the people
    services). A new record that may be an existing person is refused, naming the match, so
    that nobody is registered twice."""
    req = _editable(req)
    _not_final(req)
    if (youth is None) == (new_youth is None):
        raise ValidationError(_("Choose the young person, or enter a new one."))
    if youth is not None:
        if not Youth.objects.visible_to(actor).current().filter(pk=youth.pk).exists():
            raise ValidationError({"youth": _("Choose a young person within your scope.")})
    else:
        phones = (new_youth.phone, new_youth.guardian_phone, crypto.decrypt(req.phone_enc))
        matches = list(matching_youth(actor, new_youth.name, phones, id_number)[:3])
        if matches:
            names = "、".join(f"{y.name}（{y.organization.display_name}）" for y in matches)
            raise ValidationError(
                {
                    "name": _(
                        "This may be a young person already registered: %(names)s. Link that "
                        "record instead."
                    )
                    % {"names": names}
                }
            )
        youth = save_person(
            actor, new_youth, id_number=id_number or None, allow_same_name=allow_same_name
        )
    before = _state(req)
    case = Case(
        organization=req.organization,
        youth=youth,
        kind=req.kind,
        situation=req.description,
        care_worker=care_worker or (req.assigned_to if req.assigned_to_id else actor),
        opened_on=timezone.localdate(),
    )
    # The care services look the worker up through type(actor): hand them the user itself,
    # not the request's lazy wrapper around it.
    case = save_case(getattr(actor, "_wrapped", actor), case)
    req.case = case
    req.status = Status.CONVERTED
    _save(actor, req, before, _("Turned into care case %(number)s") % {"number": case.number})
    return case


def requests_per_status(qs) -> dict[str, int]:
    """How many requests of ``qs`` are in each status (every status named, zeros included)."""
    counts = dict(qs.order_by().values_list("status").annotate(n=Count("pk")))
    return {value: counts.get(value, 0) for value, _label in Status.choices}
