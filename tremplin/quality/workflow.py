"""How a complaint is handled: received → acknowledged → analysed → answered → closed.

Each step past the acknowledgement carries a text (the analysis, the answer, the action
taken), which the service stores with the step's date.
"""

from django.utils.translation import gettext_lazy as _

from tremplin.core.workflow import Transition, Workflow

from .enums import ActionStatus as A
from .enums import ComplaintStatus as S

complaint_workflow = Workflow(
    "complaint",
    "status",
    [
        Transition("acknowledge", (S.RECEIVED,), S.ACKNOWLEDGED, _("Accuser réception")),
        Transition("analyse", (S.ACKNOWLEDGED,), S.ANALYSED, _("Enregistrer l'analyse")),
        Transition("answer", (S.ANALYSED,), S.ANSWERED, _("Enregistrer la réponse")),
        Transition("close", (S.ANSWERED,), S.CLOSED, _("Enregistrer l'action menée et clore")),
    ],
    states=S,
)

# The transition → (date field, text field) it fills.
STEP_FIELDS: dict[str, tuple[str, str | None]] = {
    "acknowledge": ("acknowledged_on", None),
    "analyse": ("analysed_on", "analysis"),
    "answer": ("answered_on", "answer"),
    "close": ("closed_on", "action_taken"),
}

action_workflow = Workflow(
    "improvement_action",
    "status",
    [
        Transition("start", (A.PLANNED,), A.IN_PROGRESS, _("Commencer")),
        Transition(
            "finish", (A.PLANNED, A.IN_PROGRESS), A.DONE, _("Enregistrer le résultat et terminer")
        ),
    ],
    states=A,
)
