"""Messages (消息): the inbox, e-mail and SMS of events (docs/notifications.md).

Other apps call ``notify(event, **objects)`` from inside their actions."""


def notify(event: str, **objects) -> None:
    """Queue ``event`` about ``objects`` (rows or ids) once the running action commits."""
    from .sending import notify as queue

    queue(event, **objects)
