"""Signals other apps listen to, so that the tree never imports them."""

from django.dispatch import Signal

#: Sent inside the transaction of ``services.move_organization``, after the move, with
#: ``organization`` (refreshed) and the ids of its ancestors before (``old_ancestor_ids``) and
#: after (``new_ancestor_ids``) the move, root first. Apps keeping per-subtree totals move the
#: organisation's totals from the ancestors it left to the ones it joined.
subtree_moved = Signal()
