"""Keep the activity ledger and its counters with organisations that move and people merged."""

from django.db.models import F
from django.dispatch import receiver

from guangong.orgs.signals import subtree_moved
from guangong.people.models import Elder, Youth
from guangong.people.signals import person_merged

from . import rollup
from .models import Activity, ActivityElder


@receiver(subtree_moved, dispatch_uid="activities_follow_moves")
def follow_move(sender, organization, old_ancestor_ids, new_ancestor_ids, **kwargs) -> None:
    rollup.move_subtree(organization.pk, old_ancestor_ids, new_ancestor_ids)


@receiver(person_merged, dispatch_uid="activities_follow_merges")
def follow_merge(sender, survivor, duplicate, moved, **kwargs) -> None:
    """The duplicate's activities become the survivor's. An activity both served at keeps one
    line with the hours added up (one elder, counted once)."""
    if sender is Youth:
        ids = list(Activity.objects.filter(youths=duplicate).values_list("pk", flat=True))
        for activity in Activity.objects.filter(pk__in=ids):
            activity.youths.remove(duplicate)
            activity.youths.add(survivor)
        if ids:
            moved["activities"] = sorted(ids)
        return
    if sender is not Elder:
        return
    links = list(ActivityElder.objects.filter(elder=duplicate).select_related("activity"))
    for link in links:
        activity = link.activity
        old = rollup.Contribution.of(activity)
        both = ActivityElder.objects.filter(activity=activity, elder=survivor).first()
        if both is not None:
            ActivityElder.objects.filter(pk=both.pk).update(hours=F("hours") + link.hours)
            link.delete()
        else:
            ActivityElder.objects.filter(pk=link.pk).update(elder=survivor)
        # Hours move with the elder's running total in the people app, not here.
        rollup.replace(old, rollup.Contribution.of(activity), elder_hours=False)
    if links:
        moved["activities"] = sorted(link.activity_id for link in links)
