"""Signals other apps listen to, so that people never import them."""

from django.dispatch import Signal

#: Sent inside ``merging.merge_people``'s transaction, after the people app has moved its own
#: records, with ``survivor``, ``duplicate`` and ``moved`` — a dict a receiver adds to (e.g.
#: ``{"activities": [ids]}``) so the survivor's audit record lists what moved. Receivers move
#: their rows from the duplicate to the survivor. Service hours are the people app's to move.
person_merged = Signal()
