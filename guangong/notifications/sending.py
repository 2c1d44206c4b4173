"""From an event to the inbox, e-mails and SMS, once each.

``notify`` (called inside an action) waits for the commit, then hands the event to the task
queue; ``make_messages`` (the task) writes each recipient's message and, for the channels they
chose, a ``Delivery`` whose unique key is the event + recipient + channel; ``attempt`` sends one
delivery. A delivery is claimed before it is sent (pending → sending, one worker wins), so a
task run twice, or a key queued twice, sends nothing more. A failed attempt goes back to
pending with its error, and the task tries again later (``tasks.send_delivery``); after
``NOTIFY_MAX_ATTEMPTS`` it stays failed. Every send is in the log with the recipient masked.

These rows are written by the task worker after the change that caused them committed; the
action that caused them wrote the audit row.
"""

from __future__ import annotations

import functools
import json
import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import models, transaction
from django.utils import timezone, translation

from guangong.core import crypto
from guangong.core.validators import mask_phone

from . import inbox, sms
from .models import Channel, Delivery, DeliveryStatus, Message, Preference

log = logging.getLogger(__name__)


def _id(value):
    if isinstance(value, models.Model):
        value = value.pk
    return str(value) if value is not None and not isinstance(value, int) else value


def notify(event: str, **objects) -> None:
    """Once the running transaction commits (at once outside one), queue ``event`` about
    ``objects`` (rows or ids) for the task worker. Never raises into the caller."""
    ids = {name: _id(value) for name, value in objects.items()}
    transaction.on_commit(functools.partial(_queue, event, ids))


def _queue(event: str, ids: dict) -> None:
    from . import tasks

    try:
        tasks.make_messages(event, ids)
    except Exception:  # the change is committed: a queue that fails loses a message, not it
        log.exception("Could not queue the messages of %s %s", event, ids)


# --- Messages -------------------------------------------------------------------------------


def make_messages(event: str, ids: dict) -> list[Message]:
    with translation.override(settings.LANGUAGE_CODE):  # messages are written in Chinese
        return _make_messages(event, ids)


def _make_messages(event: str, ids: dict) -> list[Message]:
    from .events import build, requester_sms

    if event == "help_replied":  # to a requester without an account: an SMS, no message
        for key, phone, org_path, text in requester_sms(**ids):
            queue_delivery(
                key=key,
                channel=Channel.SMS,
                address=phone,
                event=event,
                subject=text,
                text=text,
                org_path=org_path,
            )
        return []
    made = []
    for note in build(event, ids):
        message, created = Message.objects.get_or_create(
            key=note.key[:200],
            defaults={
                "recipient": note.user,
                "event": note.event,
                "title": note.title[:200],
                "body": note.body[:2000],
                "url": note.url[:300],
            },
        )
        made.append(message)
        if created:
            inbox.forget(note.user.pk)
            for channel, address in chosen_channels(note.user, note.event):
                queue_delivery(
                    key=f"{note.key}:{channel}",
                    channel=channel,
                    address=address,
                    event=note.event,
                    subject=note.title,
                    text=message_text(note.title, note.body, note.url),
                    org_path=note.user.scope_path or "",
                    message=message,
                )
    return made


def chosen_channels(user, event: str) -> list[tuple[str, str]]:
    """The channels beyond the inbox the user chose for ``event``, with their address (a
    channel without an address in the user's account is left out)."""
    pref = Preference.objects.filter(user=user, event=event).first()
    found = []
    if pref is not None and pref.email and user.email:
        found.append((Channel.EMAIL, user.email))
    if pref is not None and pref.sms and user.phone:
        found.append((Channel.SMS, user.phone))
    return found


def message_text(title: str, body: str, url: str) -> str:
    link = f"{settings.SITE_URL.rstrip('/')}{url}" if url else ""
    return "\n\n".join(part for part in (title, body, link) if part)


def masked(channel: str, address: str) -> str:
    if channel == Channel.SMS:
        return mask_phone(address)
    name, _at, domain = address.partition("@")
    return f"{name[:1]}***@{domain}" if domain else "***"


def queue_delivery(
    *,
    key,
    channel,
    address,
    event,
    subject,
    text,
    org_path="",
    message=None,
    template="notice",
    params=None,
    secret_text="",
) -> Delivery:
    """The delivery of ``key`` (made once), queued for sending when it is new. ``secret_text``
    (a code) is sent instead of ``text`` and stored only encrypted."""
    delivery, created = Delivery.objects.get_or_create(
        key=key[:200],
        defaults={
            "channel": channel,
            "event": event,
            "message": message,
            "org_path": org_path,
            "recipient": masked(channel, address),
            "address_enc": crypto.encrypt(
                json.dumps(
                    {
                        "to": address,
                        "template": template,
                        "params": params or {"title": subject[:30]},
                        "text": secret_text,
                    }
                )
            ),
            "subject": subject[:200],
            "text": text[:2000],
        },
    )
    if created:
        transaction.on_commit(functools.partial(_send_later, delivery.pk))
    return delivery


def _send_later(pk: int) -> None:
    from . import tasks

    try:
        tasks.send_delivery(pk)
    except Exception:
        log.exception("Could not queue delivery %s", pk)


# --- Sending --------------------------------------------------------------------------------


def attempt(pk: int) -> str:
    """Try to send delivery ``pk`` once; its status after the try."""
    claimed = Delivery.objects.filter(pk=pk, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.SENDING, attempts=models.F("attempts") + 1
    )
    delivery = Delivery.objects.filter(pk=pk).first()
    if delivery is None:
        return ""
    if not claimed:  # sent, failed for good, or another worker is sending it
        return delivery.status
    to = json.loads(crypto.decrypt(delivery.address_enc))
    text = to.get("text") or delivery.text
    try:
        if delivery.channel == Channel.EMAIL:
            _send_email(to["to"], delivery.subject, text)
        else:
            sms.backend().send(to["to"], text=text, template=to["template"], params=to["params"])
    except Exception as exc:  # every failure is logged on the row, then retried
        final = delivery.attempts >= settings.NOTIFY_MAX_ATTEMPTS
        status = DeliveryStatus.FAILED if final else DeliveryStatus.PENDING
        error = sms.describe(exc)
        Delivery.objects.filter(pk=pk).update(status=status, error=error[:500])
        log.warning("Delivery %s (%s) failed: %s", pk, delivery.recipient, error)
        return status
    Delivery.objects.filter(pk=pk).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), error=""
    )
    return DeliveryStatus.SENT


def _send_email(address: str, subject: str, text: str) -> None:
    connection = get_connection(timeout=settings.EMAIL_TIMEOUT)
    EmailMessage(
        subject, text, settings.DEFAULT_FROM_EMAIL, [address], connection=connection
    ).send()


def backoff(attempts: int) -> int:
    """Seconds before the next try: 30, 60, 120, … at most an hour."""
    return min(settings.NOTIFY_RETRY_SECONDS * 2 ** max(attempts - 1, 0), 3600)
