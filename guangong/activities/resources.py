"""The activity ledger's resources (``core.resources``)."""

from guangong.core.policy import Policy
from guangong.core.resources import Resource, register

from .models import Activity

# The owner's side edits; co-organisers read a joint activity.
register(Resource(Activity, policy=Policy(reach=("co_organizers__path",))))
