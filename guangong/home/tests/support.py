"""What other apps' tests need of the to-do centre."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from guangong.home.todo import Todo, kinds


def badge_queries(user) -> int:
    """The queries the header's to-do badge costs ``user`` on a page, worked out afresh (the
    page pays them afresh too): a page's own query budget plus this is what it may take."""
    kinds.forget_duplicates()
    with CaptureQueriesContext(connection) as captured:
        Todo(user).count  # noqa: B018  (the property is what is measured)
    kinds.forget_duplicates()
    return len(captured)
