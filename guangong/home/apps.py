from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The landing page after login; it gathers what the domain apps have to show a user."""

    name = "guangong.home"
    label = "home"
    verbose_name = _("Home")

    def ready(self):
        from guangong.people.models import DISMISSALS

        from .todo import kinds

        # The to-do list keeps each subtree's possible duplicates a while; what settles a pair
        # (a merge, a mark as two different people and its undoing, a deletion) forgets them.
        receivers = []
        for person, dismissal in DISMISSALS.items():
            receivers += [
                (post_save, person, kinds.forget_merged),
                (post_delete, person, kinds.forget_duplicates),
                (post_save, dismissal, kinds.forget_duplicates),
                (post_delete, dismissal, kinds.forget_duplicates),
            ]
        for signal, sender, receiver in receivers:
            uid = f"todo:{sender._meta.label}:{receiver.__name__}:{id(signal)}"
            signal.connect(receiver, sender=sender, dispatch_uid=uid)
