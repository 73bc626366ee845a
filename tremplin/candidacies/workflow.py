"""The selection pipeline of a candidacy, as an explicit state machine."""

from django.utils.translation import gettext_lazy as _

from tremplin.core.workflow import Transition, Workflow

from .enums import CandidacyStatus as S
from .enums import RefusalReason, WithdrawalReason

OPEN = (S.NEW, S.INVITED, S.POSITIONING, S.WAITLISTED)

candidacy_workflow = Workflow(
    "candidacy",
    "status",
    [
        Transition("invite", (S.NEW,), S.INVITED, _("Inviter en réunion d'information")),
        Transition("position", (S.INVITED,), S.POSITIONING, _("Passer au test / entretien")),
        Transition("accept", (S.POSITIONING, S.WAITLISTED), S.ACCEPTED, _("Accepter")),
        Transition("waitlist", (S.POSITIONING,), S.WAITLISTED, _("Mettre en liste d'attente")),
        Transition("refuse", OPEN, S.REFUSED, _("Refuser"), needs_reason=True),
        Transition(
            "withdraw",
            (*OPEN, S.ACCEPTED),
            S.WITHDRAWN,
            _("Enregistrer un désistement"),
            needs_reason=True,
        ),
        # Only the enrolment service takes this one, never a button.
        Transition("enrol", (S.ACCEPTED,), S.ENROLLED, _("Inscrire dans la promotion")),
    ],
    states=S,
    reasons={"refuse": RefusalReason, "withdraw": WithdrawalReason},
)

MANUAL_TRANSITIONS = ("invite", "position", "accept", "waitlist", "refuse", "withdraw")
