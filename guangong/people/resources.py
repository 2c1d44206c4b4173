"""People's resources (``core.resources``)."""

from guangong.core.policy import Policy
from guangong.core.resources import Resource, register

from .models import MentorshipVisit

# A visit belongs to its mentorship's organisation.
register(Resource(MentorshipVisit, policy=Policy(owner="mentorship__organization__path")))
