"""How an enrolment ends: completed, dropped out or excluded."""

from django.utils.translation import gettext_lazy as _

from tremplin.core.workflow import Transition, Workflow

from .enums import DropOutReason, ExclusionReason
from .enums import EnrolmentStatus as S

enrolment_workflow = Workflow(
    "enrolment",
    "status",
    [
        Transition("complete", (S.IN_TRAINING,), S.COMPLETED, _("Parcours terminé")),
        Transition("drop_out", (S.IN_TRAINING,), S.DROPPED_OUT, _("Abandon"), needs_reason=True),
        Transition("exclude", (S.IN_TRAINING,), S.EXCLUDED, _("Exclusion"), needs_reason=True),
    ],
    states=S,
    reasons={"drop_out": DropOutReason, "exclude": ExclusionReason},
)
