"""Every change to people (``persons``), teams (``teams``) and mentorships (``mentorships``),
each an audited action (``core.actions``); merging and “不是同一人” are in ``people.merging``."""
