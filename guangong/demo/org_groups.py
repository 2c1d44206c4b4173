"""Organisation groups of the demo region (``orggroups``), as a province office keeps them.

- 四化型工作模式 (已建立 / 未建立), set by the province for every township: in each county,
  city and the province 58 % of the townships (within one) have the model, as in the seed's
  “150个乡镇(街道)中，已建立‘四化’型工作模式的有87个，占58%”.
- 五好关工委: the committees consolidated as five-good (``Status.CONSOLIDATED``).
- 示范点 (省级 / 州级 / 县级): about one township in twenty.
"""

import random

from guangong.orggroups.models import Assignment, GroupSet, OrgGroup
from guangong.orgs.models import Kind, Organization, Status

#: The share of each county's townships with the 四化 model (87 of 150 in the seed).
SIHUA_SHARE = 0.58
SETS = (
    (
        "四化型工作模式",
        "乡镇（街道）关工委组织、队伍、活动、阵地“四化”建设情况",
        ("已建立", "未建立"),
    ),
    ("五好关工委", "班子好、队伍好、制度好、活动好、成效好", ("五好关工委",)),
    ("示范点", "各级关工委命名的示范点", ("省级示范点", "州级示范点", "县级示范点")),
)


def write(organizations: list[Organization], seed: int) -> int:
    """The three sets at the root and the assignments; returns how many assignments."""
    rng = random.Random(f"org-groups-{seed}")
    root = organizations[0]
    groups: dict[str, dict[str, OrgGroup]] = {}
    for name, description, labels in SETS:
        group_set = GroupSet.objects.create(organization=root, name=name, description=description)
        groups[name] = {
            label: OrgGroup.objects.create(group_set=group_set, name=label, order=i)
            for i, label in enumerate(labels)
        }
    rows: list[Assignment] = []

    def assign(org: Organization, set_name: str, label: str) -> None:
        group = groups[set_name][label]
        rows.append(Assignment(organization=org, group_set_id=group.group_set_id, group=group))

    by_county: dict[str, list[Organization]] = {}
    for org in organizations:
        if org.kind == Kind.TOWNSHIP:
            by_county.setdefault(org.path[: -Organization.steplen], []).append(org)
    seen = 0
    for _county, townships in sorted(by_county.items()):
        # Counted along the tree, so that every county, city and the province is within one
        # township of the share: floor(share × townships so far) have the model.
        quota = int((seen + len(townships)) * SIHUA_SHARE) - int(seen * SIHUA_SHARE)
        seen += len(townships)
        chosen = set(rng.sample(range(len(townships)), quota))
        for i, org in enumerate(townships):
            assign(org, "四化型工作模式", "已建立" if i in chosen else "未建立")
            if rng.random() < 0.05:
                assign(org, "示范点", rng.choice(("省级示范点", "州级示范点", "县级示范点")))
    for org in organizations:
        if org.status == Status.CONSOLIDATED:
            assign(org, "五好关工委", "五好关工委")
    Assignment.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def remove_all() -> None:
    GroupSet.objects.all().delete()
