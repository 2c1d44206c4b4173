"""Keep the activity ledger's counters with organisations that move.

(People merged are followed by ``services.follow_merge``, called by the merge's action.)
"""

from django.dispatch import receiver

from guangong.orgs.signals import subtree_moved

from . import rollup


@receiver(subtree_moved, dispatch_uid="activities_follow_moves")
def follow_move(sender, organization, old_ancestor_ids, new_ancestor_ids, **kwargs) -> None:
    rollup.move_subtree(organization.pk, old_ancestor_ids, new_ancestor_ids)
