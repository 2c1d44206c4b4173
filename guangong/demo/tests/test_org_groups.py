"""The demo's organisation groups: the seed's “已建立‘四化’型工作模式…占58%” reads from the
pivot for any county, city or the province."""

import pytest

from guangong.core.periods import Period
from guangong.demo.loader import load
from guangong.orggroups.models import GroupSet, OrgGroup
from guangong.orgs.models import Kind, Organization
from guangong.stats.pivot import Filters, pivot

pytestmark = pytest.mark.django_db


def test_the_sihua_share_is_the_seeds():
    load("small", 1)
    group_set = GroupSet.objects.get(name="四化型工作模式")
    built = OrgGroup.objects.get(group_set=group_set, name="已建立")
    root = Organization.objects.get(depth=1)
    for org in [root, *Organization.objects.filter(kind=Kind.COUNTY)[:3]]:
        result = pivot(
            org,
            Period.year(2025),
            "organizations",
            "group",
            group_set=group_set,
            filters=Filters(kind=Kind.TOWNSHIP),
        )
        townships = Organization.objects.filter(
            path__startswith=org.path, kind=Kind.TOWNSHIP
        ).count()
        assert result.total == townships
        assert result.row_totals.get(None, 0) == 0  # every township is sorted
        assert abs(result.row_totals[built.pk] - 0.58 * townships) <= 1
