"""The two lifecycles of placement, as explicit state machines with a transition log.

A proposal: proposed → seen by the employer → interview → immersion (PMSMP) → hired or not
retained; the coordinator may withdraw it until a decision. An opening: open → filled (its
last position hired) or closed (by hand, with a reason), and back to open.
"""

from django.utils.translation import gettext_lazy as _

from tremplin.core.workflow import Transition, Workflow

from .enums import NotRetainedReason, OpeningCloseReason
from .enums import OpeningStatus as O
from .enums import ProposalStatus as S

# Until a decision the employer may still act on a proposal; these are its live states.
LIVE = (S.PROPOSED, S.SEEN, S.INTERVIEW, S.IMMERSION)

proposal_workflow = Workflow(
    "proposal",
    "status",
    [
        Transition("see", (S.PROPOSED,), S.SEEN, _("Prendre connaissance")),
        Transition("interview", (S.PROPOSED, S.SEEN), S.INTERVIEW, _("Convoquer en entretien")),
        Transition(
            "immersion", (S.SEEN, S.INTERVIEW), S.IMMERSION, _("Proposer une immersion (PMSMP)")
        ),
        Transition("hire", LIVE, S.HIRED, _("Embaucher")),
        Transition("not_retain", LIVE, S.NOT_RETAINED, _("Ne pas retenir"), needs_reason=True),
        Transition("withdraw", LIVE, S.WITHDRAWN, _("Retirer la proposition")),
    ],
    states=S,
    reasons={"not_retain": NotRetainedReason},
)

# Who may take which decision; "see" is recorded when the employer opens the proposal.
EMPLOYER_TRANSITIONS = ("interview", "immersion", "hire", "not_retain")
COORDINATOR_TRANSITIONS = ("withdraw",)

opening_workflow = Workflow(
    "opening",
    "status",
    [
        Transition("fill", (O.OPEN,), O.FILLED, _("Marquer pourvue")),
        Transition("close", (O.OPEN,), O.CLOSED, _("Fermer l'offre"), needs_reason=True),
        Transition("reopen", (O.FILLED, O.CLOSED), O.OPEN, _("Rouvrir l'offre")),
    ],
    states=O,
    reasons={"close": OpeningCloseReason},
)
