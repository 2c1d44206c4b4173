"""Two notices of one organisation issued at the same moment take different numbers (the
issuer's row is locked while a number is taken). PostgreSQL only: SQLite writes one at a
time anyway."""

import threading

import pytest
from django.db import connection

from guangong.notices.models import Audience, Notice

from .conftest import draft


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_take_consecutive_numbers(tree, city_admin):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's")
    from guangong.notices.services import notices as services

    drafts = [draft(city_admin, tree.city, audience=Audience.CHILDREN) for _ in range(4)]
    start = threading.Barrier(len(drafts))
    errors = []

    def issue(notice):
        try:
            start.wait()
            services.issue(city_admin, notice)
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(n,)) for n in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(Notice.objects.values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4]
