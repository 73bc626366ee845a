"""One door to diagnostics and proofs.

Who sees a person's diagnostics: whoever follows one of that person's candidacies as a
professional (their organisation's referrals for prescribers, their site's candidacies for
coordinators, their network's for network admins), as the candidacy door decides. Trainers,
employers and funders never do: eligibility (RSA, disability, refugee status...) is none of
their business. A learner sees a summary of their own diagnostics on their candidacy page
(what was recorded about them, by whom, until when) but neither the professional pages nor
the proof files: the documents are theirs already, and an account taken over should not hand
out their CAF or MDPH papers.

Proof files go further than the diagnostic: a prescriber downloads only proofs of their own
organisation's diagnostics (another agency's papers are not theirs to read, even about a
person both follow); coordinators and network admins download every proof of the diagnostics
they see, since checking them is their job.
"""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tremplin.accounts.enums import Role
from tremplin.accounts.roles import is_coordinator_of, manages_site
from tremplin.candidacies.models import Candidacy
from tremplin.candidacies.perms import candidacies_for_user

from .enums import DiagnosticStatus
from .models import Diagnostic, Proof

PROFESSIONALS = (Role.PRESCRIBER, Role.COORDINATOR, Role.NETWORK_ADMIN)


def diagnostics_for_user(user: Any) -> QuerySet[Diagnostic]:
    qs = Diagnostic.objects.select_related(
        "person", "author", "author_organisation", "site", "candidacy__cohort__site"
    )
    if not (user.is_authenticated and user.is_active and user.role in PROFESSIONALS):
        return qs.none()
    people = candidacies_for_user(user).values("person_id")
    return qs.filter(person_id__in=people)


def get_diagnostic_for_user(user: Any, diagnostic_id: int) -> Diagnostic:
    return get_object_or_404(diagnostics_for_user(user), pk=diagnostic_id)


def learner_diagnostics(user: Any, candidacy: Candidacy) -> QuerySet[Diagnostic]:
    """The diagnostics a learner may read about themself, for their own candidacy only."""
    if user.role != Role.LEARNER or candidacy.person.account_id != user.pk:
        return Diagnostic.objects.none()
    return Diagnostic.objects.filter(person=candidacy.person).select_related("author_organisation")


def proofs_for_user(user: Any) -> QuerySet[Proof]:
    qs = Proof.objects.select_related("diagnostic_criterion__criterion")
    visible = qs.filter(diagnostic_criterion__diagnostic__in=diagnostics_for_user(user))
    if user.role == Role.PRESCRIBER:
        if not user.organisation_id:
            return qs.none()
        return visible.filter(
            diagnostic_criterion__diagnostic__author_organisation_id=user.organisation_id
        )
    return visible


def get_proof_for_user(user: Any, proof_id: int) -> Proof:
    return get_object_or_404(proofs_for_user(user), pk=proof_id)


def can_make_diagnostic(user: Any, candidacy: Candidacy) -> bool:
    """Prescribers for their organisation's referrals, coordinators for their site's."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.role == Role.PRESCRIBER:
        return bool(
            user.organisation_id and candidacy.prescriber_organisation_id == user.organisation_id
        )
    return is_coordinator_of(user, candidacy.cohort.site_id)


def can_decide_diagnostic(user: Any, diagnostic: Diagnostic) -> bool:
    """The site's coordinators (or its network's admins) confirm or reject."""
    return (
        diagnostic.status == DiagnosticStatus.TO_CONFIRM
        and diagnostic.site is not None
        and manages_site(user, diagnostic.site)
    )


def can_override(user: Any, candidacy: Candidacy) -> bool:
    """Accepting without a valid diagnostic is the site's decision, with a written reason."""
    return manages_site(user, candidacy.cohort.site)
