"""People: 五老 volunteers and young people (``persons``), teams and mentorships (``teams``)."""

from .persons import (
    DISMISSALS,
    Elder,
    ElderDuplicateDismissal,
    Person,
    Youth,
    YouthDuplicateDismissal,
    age_on,
)
from .teams import Mentorship, MentorshipVisit, Team, active_in_q

__all__ = [
    "DISMISSALS",
    "Elder",
    "ElderDuplicateDismissal",
    "Mentorship",
    "MentorshipVisit",
    "Person",
    "Team",
    "Youth",
    "YouthDuplicateDismissal",
    "active_in_q",
    "age_on",
]
