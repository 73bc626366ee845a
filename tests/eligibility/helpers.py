"""Shared helpers of the eligibility tests: referrals by the other prescriber, and a snapshot
of everything a diagnostic or an acceptance writes (rows and proof files)."""

from pathlib import Path
from typing import Any

from django.conf import settings

from tests import factories
from tremplin.candidacies.models import Candidacy
from tremplin.candidacies.services import candidacy_create, candidacy_transition
from tremplin.core.models import AuditEntry, TransitionLog
from tremplin.eligibility.models import Acceptance, Diagnostic, DiagnosticCriterion, Proof

WRITTEN = (Diagnostic, DiagnosticCriterion, Proof, Acceptance, AuditEntry, TransitionLog)


def ml_referral(world: Any, target: Any = None, **person: Any) -> Candidacy:
    """Referred by the Mission locale (a prescriber that is not habilitated)."""
    return candidacy_create(
        cohort=target or world.upcoming,
        person_data=factories.person_data(**person),
        motivation="",
        by=world.user("outsider_prescriber"),
    )


def to_positioning(candidacy: Candidacy, world: Any, coordinator: str = "coordinator") -> None:
    for step in ("invite", "position"):
        candidacy_transition(candidacy=candidacy, transition=step, by=world.user(coordinator))


def proof_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def snapshot() -> tuple[dict[str, int], set[str]]:
    return {m.__name__: m.objects.count() for m in WRITTEN}, proof_files()
