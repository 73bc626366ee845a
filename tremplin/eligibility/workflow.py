"""The confirmation of a non-habilitated prescriber's diagnostic by the site, as a state machine."""

from django.utils.translation import gettext_lazy as _

from tremplin.core.workflow import Transition, Workflow

from .enums import DiagnosticRejectionReason
from .enums import DiagnosticStatus as S

diagnostic_workflow = Workflow(
    "diagnostic",
    "status",
    [
        Transition("confirm", (S.TO_CONFIRM,), S.CONFIRMED, _("Confirmer le diagnostic")),
        Transition(
            "reject", (S.TO_CONFIRM,), S.REJECTED, _("Refuser le diagnostic"), needs_reason=True
        ),
    ],
    states=S,
    reasons={"reject": DiagnosticRejectionReason},
)
