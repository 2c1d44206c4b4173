"""The case workflow: 登记 → 评估 → 审批 → 实施/发放 → 回访 → 结案, with 退回 and 重新开启.

``ACTIONS`` is the whole table: for each action, the stages it starts from and the stage it
leads to. ``services.transition`` applies one action after the checks of ``requirements``;
anything else is refused with a message that names the current stage.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Status


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    moves: dict  # from stage → to stage
    needs_comment: bool = False
    approver: bool = False  # needs the approve verb, at the case's organisation or its parent

    def op(self, status: str) -> str:
        """The Case policy's operation this action is from ``status``: ``approve`` for the
        approver's steps (approving, and returning a case that waits for approval), else
        ``write``."""
        if self.approver or (self.name == "return" and status == Status.APPROVAL):
            return "approve"
        return "write"


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action("submit", _("Submit for assessment"), {Status.REGISTERED: Status.ASSESSMENT}),
        Action(
            "assess", _("Assessment done: ask for approval"), {Status.ASSESSMENT: Status.APPROVAL}
        ),
        Action(
            "approve",
            pgettext_lazy("case action", "Approve"),
            {Status.APPROVAL: Status.IMPLEMENTATION},
            approver=True,
        ),
        Action(
            "disburse", _("Help given / money disbursed"), {Status.IMPLEMENTATION: Status.FOLLOW_UP}
        ),
        Action("close", _("Close the case"), {Status.FOLLOW_UP: Status.CLOSED}),
        Action(
            "return",
            _("Return"),
            {
                Status.ASSESSMENT: Status.REGISTERED,
                Status.APPROVAL: Status.ASSESSMENT,
                Status.IMPLEMENTATION: Status.APPROVAL,
                Status.FOLLOW_UP: Status.IMPLEMENTATION,
            },
            needs_comment=True,
        ),
        Action("reopen", _("Reopen"), {Status.CLOSED: Status.FOLLOW_UP}, needs_comment=True),
    )
}


def available(status: str) -> list[Action]:
    """The actions that may start from ``status``, in workflow order."""
    return [a for a in ACTIONS.values() if status in a.moves]
