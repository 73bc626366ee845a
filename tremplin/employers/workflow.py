"""A proposal's life at the employer's: interview, then hired or not retained."""

from django.utils.translation import gettext_lazy as _

from tremplin.core.workflow import Transition, Workflow

from .enums import NotRetainedReason
from .enums import ProposalStatus as S

proposal_workflow = Workflow(
    "proposal",
    "status",
    [
        Transition("interview", (S.PROPOSED,), S.INTERVIEW, _("Convoquer en entretien")),
        Transition("hire", (S.PROPOSED, S.INTERVIEW), S.HIRED, _("Embaucher")),
        Transition(
            "not_retain",
            (S.PROPOSED, S.INTERVIEW),
            S.NOT_RETAINED,
            _("Ne pas retenir"),
            needs_reason=True,
        ),
        Transition("withdraw", (S.PROPOSED, S.INTERVIEW), S.WITHDRAWN, _("Retirer la proposition")),
    ],
    states=S,
    reasons={"not_retain": NotRetainedReason},
)

EMPLOYER_TRANSITIONS = ("interview", "hire", "not_retain")
COORDINATOR_TRANSITIONS = ("withdraw",)
