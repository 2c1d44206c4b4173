"""Background jobs' resources (``core.resources``)."""

from guangong.core.policy import Policy
from guangong.core.resources import Resource, register

from . import views
from .models import Job


def _download(user, job: Job) -> bool:
    """A list export is its requester's alone (the rows as they may see them)."""
    return not job.kind.startswith("export:") or job.user_id == user.pk


# Users see and act on their own jobs (cancel, retry, confirm, undo); administrators
# (``manage_users``) also on those of their subtree, and may widen their list to them
# (``oversee``). A job's files (an upload, its marked
# copy) are downloaded by the uploader, and by administrators who may reveal sensitive fields.
register(
    Resource(
        Job,
        policy=Policy(
            own="user",
            own_ops=frozenset({"read", "write", "download"}),
            verbs={
                "read": ("manage_users",),
                "write": ("manage_users",),
                "download": ("manage_users", "reveal"),
                "oversee": ("manage_users",),
            },
            rules={"download": _download},
        ),
        pages=("list", "detail"),
        views={"list": views.JobListView, "detail": views.JobDetailView},
        select_related=("user", "organization"),
    )
)
