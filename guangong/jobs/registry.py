"""Which function runs a job of each kind, and how the job is named and its result shown.

A kind is ``"<type>"`` or ``"<type>:<detail>"`` (``import:orgs.organization``); handlers are
registered for the type. A handler takes the job and its ``Progress`` and returns the summary
(a JSON-able dict), or raises ``JobFailed``; see ``runner.execute``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class JobType:
    handler: Callable
    label: Callable  # job -> str, in the current language
    result_template: str = "jobs/results/default.html"
    #: (request, job) -> extra context for the result template.
    context: Callable | None = None
    #: (finished job) -> whether its upload is still needed (a check awaiting confirmation);
    #: otherwise the upload is deleted as the job ends (``runner.release_input``).
    keeps_input: Callable | None = None
    #: Whether the job writes nothing or everything in one transaction: interrupted, it has
    #: saved nothing (its page says so), and running it again is safe.
    atomic: bool = False


_types: dict[str, JobType] = {}


def register(
    type_: str,
    handler: Callable,
    *,
    label: Callable,
    result_template: str = "jobs/results/default.html",
    context: Callable | None = None,
    keeps_input: Callable | None = None,
    atomic: bool = False,
) -> None:
    _types[type_] = JobType(handler, label, result_template, context, keeps_input, atomic)


def get(kind: str) -> JobType:
    """The registered type of a kind; KeyError if there is none."""
    return _types[kind.split(":", 1)[0]]


def label(job) -> str:
    try:
        return str(get(job.kind).label(job))
    except KeyError:
        return _("Job %(kind)s") % {"kind": job.kind}
