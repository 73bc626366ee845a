"""Template tags of the placement pages.

``opening_status_actions`` gives the opening page's close/reopen box what it needs, so that
the box is a self-contained include: who may act, the close reasons, and whether a filled
opening may be reopened (only once a position is free again).
"""

from typing import Any

from django import template

from tremplin.employers import perms
from tremplin.employers.enums import OpeningStatus, ProposalStatus
from tremplin.employers.models import Opening
from tremplin.employers.workflow import opening_workflow

register = template.Library()


@register.simple_tag(takes_context=True)
def opening_status_actions(context: template.Context, opening: Opening) -> dict[str, Any]:
    user = context.get("user")
    if user is None or not user.is_authenticated or not perms.can_edit_opening(user, opening):
        return {"can_edit": False}
    hired = opening.proposals.filter(status=ProposalStatus.HIRED).count()
    return {
        "can_edit": True,
        "can_close": opening.status == OpeningStatus.OPEN,
        "can_reopen": opening.status != OpeningStatus.OPEN and hired < opening.positions,
        "all_hired": opening.status != OpeningStatus.OPEN and hired >= opening.positions,
        "reasons": opening_workflow.reasons_for("close"),
    }


@register.simple_tag(takes_context=True)
def candidate_name(context: template.Context, person: Any) -> str:
    """« Inès B. » for an employer, the full name for the training staff."""
    from tremplin.www.employers.pipeline import candidate_name as name_for

    return name_for(person, context["user"])
