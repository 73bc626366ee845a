"""Reads behind dashboards: facts for the funnel engine, in one query, no names."""

from django.db.models import Exists, OuterRef

from tremplin.candidacies.enums import CandidacyStatus
from tremplin.candidacies.models import Candidacy
from tremplin.cohorts.enums import EnrolmentStatus
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
