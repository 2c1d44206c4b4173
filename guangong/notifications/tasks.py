"""The task worker's part of messages (discovered by huey.contrib.djhuey in the worker)."""

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task
from huey.exceptions import RetryTask

from . import deadlines, sending, work
from .models import DeliveryStatus


@db_task()
def make_messages(event: str, ids: dict, **headers) -> None:
    """The messages of an event that has committed, and their e-mails and SMS."""
    sending.make_messages(event, ids)


@db_task(retries=12)
def send_delivery(pk: int, **headers) -> None:
    """Send one e-mail or SMS; a failure is tried again later, longer apart each time."""
    status = sending.attempt(pk)
    if status == DeliveryStatus.PENDING and not settings.HUEY.get("immediate"):
        from .models import Delivery

        attempts = Delivery.objects.filter(pk=pk).values_list("attempts", flat=True).first() or 1
        raise RetryTask(delay=sending.backoff(attempts))


@db_periodic_task(crontab(hour=str(settings.NOTIFY_DEADLINE_HOUR), minute="5"))
def remind_deadlines() -> int:
    """Every morning: reports and notices' feedback due in three days and not in yet, and
    action items past their due date."""
    return deadlines.remind() + work.remind(timezone.localdate())
