"""Reads behind dashboards: facts for the funnel engine, in one query, and placement counts.

No names: funders see the dashboards.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q

from tremplin.candidacies.enums import CandidacyStatus
from tremplin.candidacies.models import Candidacy
from tremplin.cohorts.enums import EnrolmentStatus
from tremplin.employers.enums import ProposalStatus
from tremplin.employers.matching import unanswered
from tremplin.employers.models import Proposal
from tremplin.engine.indicators import CandidacyFacts, Funnel, funnels
from tremplin.organisations.models import Site
from tremplin.outcomes.enums import EMPLOYED_SITUATIONS, Milestone
from tremplin.outcomes.models import FollowUp


def site_funnel_facts(site: Site) -> list[CandidacyFacts]:
    employed_6m = FollowUp.objects.filter(
        enrolment__candidacy=OuterRef("pk"),
        milestone=Milestone.M6,
        situation__in=list(EMPLOYED_SITUATIONS),
    )
    rows = (
        Candidacy.objects.filter(cohort__site=site)
        .annotate(employed_6m=Exists(employed_6m))
        .order_by("cohort__start_date", "cohort_id")
        .values_list("cohort__name", "status", "enrolment__status", "employed_6m")
    )
    return [
        CandidacyFacts(
            group=cohort_name,
            accepted=status in (CandidacyStatus.ACCEPTED, CandidacyStatus.ENROLLED),
            enrolled=enrolment_status is not None,
            completed=enrolment_status == EnrolmentStatus.COMPLETED,
            employed_6m=bool(employed) and enrolment_status == EnrolmentStatus.COMPLETED,
        )
        for cohort_name, status, enrolment_status, employed in rows
    ]


def site_funnels(site: Site) -> tuple[list[Funnel], Funnel]:
    return funnels(site_funnel_facts(site), total_label=f"Site — {site.name}")


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class PlacementFigures:
    """Proposals of a site's learners to employers: counts only, never a name."""

    by_status: list[StatusCount]
    hires: int
    hires_per_cohort: list[tuple[str, int]]
    unanswered: int
    unanswered_days: int

    @property
    def total(self) -> int:
        return sum(s.count for s in self.by_status)


def site_placement(site: Site) -> PlacementFigures:
    """Proposals by status, hires (per cohort) and proposals left unanswered, in 3 queries."""
    proposals = Proposal.objects.filter(enrolment__cohort__site=site)
    counts = dict(
        proposals.order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    by_status = [StatusCount(s.value, str(s.label), counts.get(s.value, 0)) for s in ProposalStatus]
    per_cohort = (
        site.cohorts.order_by("start_date", "id")
        .annotate(
            hires=Count(
                "enrolments__proposals",
                filter=Q(enrolments__proposals__status=ProposalStatus.HIRED),
            )
        )
        .values_list("name", "hires")
    )
    return PlacementFigures(
        by_status=by_status,
        hires=counts.get(ProposalStatus.HIRED.value, 0),
        hires_per_cohort=[(name, n) for name, n in per_cohort],
        unanswered=unanswered(proposals).count(),
        unanswered_days=settings.PROPOSAL_UNANSWERED_DAYS,
    )
