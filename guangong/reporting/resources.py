"""Reporting's resources (``core.resources``)."""

from guangong.core.policy import Policy
from guangong.core.resources import Resource, register

from .models import ReportForm

# A form defined above reaches down: every organisation below its owner reads it. Forms are
# defined and changed by approvers (``approve``) in their own subtree.
register(
    Resource(
        ReportForm,
        policy=Policy(owner="owner__path", reach_up=True, verbs={"write": ("approve",)}),
    )
)
