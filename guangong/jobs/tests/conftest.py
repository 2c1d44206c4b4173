"""People and activities of the fixture tree, for the tests of list exports."""

from guangong.activities.tests.conftest import ledger, types  # noqa: F401
from guangong.people.tests.conftest import a_revealer, categories, people  # noqa: F401
