"""Who reads a plan: its organisation's side and those above (the owner's subtree rule), and,
once it is published, the whole subtree below it — which is how counties find the city's work
points to adopt. Drafts stay with their owner."""

from dataclasses import dataclass

from django.db import models

from guangong.core.policy import READ_OPS, Policy
from guangong.core.scope import ancestor_paths

from .models import PlanStatus


@dataclass(frozen=True)
class PublishedDown(Policy):
    #: Lookup to the plan's status: a published row is read by the subtree below its owner.
    status: str = "status"

    def scope_q(self, path: str, op: str = "read", model=None) -> models.Q:
        q = super().scope_q(path, op, model)
        if path and op in READ_OPS:
            above = ancestor_paths(path, include_self=False)
            q |= models.Q(**{f"{self.owner}__in": above, self.status: PlanStatus.PUBLISHED})
        return q


PLAN_POLICY = PublishedDown(owner="organization__path")
TASK_POLICY = PublishedDown(owner="plan__organization__path", status="plan__status")
