"""Every change to member units, meetings, decisions and action items: one audited action
each (``core.actions``)."""
