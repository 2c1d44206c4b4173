"""A dissolved organisation (撤销) keeps its page and records but is no longer counted:
coverage and its subtree counts, the pivot's organisations and the distributions leave it out,
and the organisation list (which their figures open) leaves it out unless asked for."""

import datetime

import pytest

from guangong.core.periods import Period
from guangong.orgs import rollup, services
from guangong.orgs.models import Kind, Organization
from guangong.stats.coverage import coverage
from guangong.stats.distribution import distribution
from guangong.stats.pivot import pivot

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 1)
YEAR = Period.year(2026)


def dissolve(actor, org, day=DAY):
    return services.update_organization(actor, org, dissolved_on=day)


def listed(client, org, query="") -> set[str]:
    page = client.get(f"/orgs/?org={org.pk}{query}")
    assert page.status_code == 200
    return {o.name for o in page.context["table"].data}


def test_coverage_and_the_subtree_counts_leave_a_dissolved_organisation_out(tree, city_admin):
    before = coverage(tree.city).total.total
    enterprise = tree.enterprise
    dissolve(city_admin, enterprise)
    assert coverage(tree.city).total.total == before - 1
    assert coverage(tree.township).total.total == 1  # the township itself
    assert rollup.mismatches() == []
    services.update_organization(
        city_admin, Organization.objects.get(pk=enterprise.pk), dissolved_on=None
    )
    assert coverage(tree.city).total.total == before
    assert rollup.mismatches() == []


def test_moving_and_deleting_keep_the_counts_exact(tree, city_admin):
    dissolve(city_admin, tree.enterprise)
    moved = Organization.objects.get(pk=tree.enterprise.pk)
    services.move_organization(city_admin, moved, tree.county_b)
    assert rollup.mismatches() == []
    services.delete_organization(city_admin, Organization.objects.get(pk=tree.enterprise.pk))
    assert rollup.mismatches() == []


def test_the_pivot_and_the_distributions_count_only_organisations_not_dissolved(tree, city_admin):
    organisations = pivot(tree.city, YEAR, "organizations", "kind")
    enterprises = organisations.row_totals.get(Kind.PRIVATE_ENTERPRISE, 0)
    townships = distribution(tree.city, "teams", YEAR, kind=Kind.TOWNSHIP)["denominator"]
    dissolve(city_admin, tree.enterprise)
    dissolve(city_admin, tree.township)
    after = pivot(tree.city, YEAR, "organizations", "kind")
    assert after.row_totals.get(Kind.PRIVATE_ENTERPRISE, 0) == enterprises - 1
    assert after.total == organisations.total - 2
    assert (
        distribution(tree.city, "teams", YEAR, kind=Kind.TOWNSHIP)["denominator"] == townships - 1
    )


def test_the_list_leaves_dissolved_organisations_out_unless_asked(tree, city_admin, client_for):
    client = client_for(city_admin)
    dissolve(city_admin, tree.enterprise)
    name = tree.enterprise.name
    assert tree.township.name in listed(client, tree.city)
    assert name not in listed(client, tree.city)
    assert name in listed(client, tree.city, "&dissolved=with")
    assert listed(client, tree.city, "&dissolved=only") == {name}
    page = client.get("/orgs/?dissolved=everything")
    assert page.status_code in (200, 400)  # a bad choice is the form's message, never a 500
