"""Cases follow people merged in the people app."""

from django.dispatch import receiver

from guangong.people.models import Elder, Youth
from guangong.people.signals import person_merged

from .models import Case


@receiver(person_merged, dispatch_uid="care_follow_merges")
def follow_merge(sender, survivor, duplicate, moved, **kwargs) -> None:
    if sender is Youth:
        ids = sorted(Case.objects.filter(youth=duplicate).values_list("pk", flat=True))
        Case.objects.filter(pk__in=ids).update(youth=survivor)
    elif sender is Elder:
        ids = sorted(Case.objects.filter(elders=duplicate).values_list("pk", flat=True))
        for case in Case.objects.filter(pk__in=ids):
            case.elders.remove(duplicate)
            case.elders.add(survivor)
    else:
        return
    if ids:
        moved["care_cases"] = ids
