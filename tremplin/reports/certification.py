"""The certification facts of the dashboards: each learner who left, with the jury's result
(blocks validated, certification obtained), for the engine's ``certification`` indicator.

A cohort whose jury result is recorded for none of its learners does not count yet: its
leavers' results are unknown, not failures (« Blocs de compétences et certification »,
docs/indicators.md). Within a cohort whose jury sat, a leaver with no result validated nothing.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, QuerySet

from tremplin.cohorts.enums import EnrolmentStatus
from tremplin.cohorts.models import Enrolment, JuryResult
from tremplin.engine import indicators as engine
from tremplin.organisations.models import Site
from tremplin.programmes.models import CompetencyBlock

from .selectors import IndicatorFilters, _cohort_q, _in_track


@dataclass(frozen=True)
class CertificationFigures:
    figures: engine.Certification
    # Leavers of cohorts whose jury result is not recorded yet: not counted.
    awaiting_jury: int


def learners_by_cohort(
    enrolments: QuerySet[Enrolment],
) -> tuple[dict[int, list[engine.LearnerCertification]], int]:
    """Of ``enrolments``, those who left, as the engine's facts by cohort id, and how many
    left a cohort whose jury is not recorded yet (not counted), in 2 queries."""
    rows = (
        enrolments.exclude(status=EnrolmentStatus.IN_TRAINING)
        .annotate(
            jury_sat=Exists(JuryResult.objects.filter(enrolment__cohort=OuterRef("cohort"))),
            validated=Count("jury_result__validated_blocks"),
        )
        .order_by()
        .values_list(
            "cohort_id",
            "jury_sat",
            "jury_result__certification_id",
            "jury_result__certified",
            "validated",
        )
    )
    blocks_of = dict(
        CompetencyBlock.objects.order_by()
        .values_list("certification_id")
        .annotate(n=Count("id"))
        .values_list("certification_id", "n")
    )
    learners: dict[int, list[engine.LearnerCertification]] = {}
    awaiting = 0
    for cohort_id, jury_sat, certification_id, certified, validated in rows:
        if not jury_sat:
            awaiting += 1
            continue
        learners.setdefault(cohort_id, []).append(
            engine.LearnerCertification(
                ended=True,
                blocks_validated=validated,
                blocks_total=blocks_of.get(certification_id, 0) if certification_id else 0,
                certified=bool(certified),
            )
        )
    return learners, awaiting


def site_certification(site: Site, filters: IndicatorFilters | None = None) -> CertificationFigures:
    """Certification figures of one site's cohorts kept by ``filters``, in 2 queries."""
    filters = filters or IndicatorFilters()
    enrolments = Enrolment.objects.filter(_cohort_q(filters, "cohort__"), cohort__site=site)
    if filters.track_id:
        enrolments = enrolments.filter(_in_track(filters.track_id, "pk"))
    by_cohort, awaiting = learners_by_cohort(enrolments)
    everyone = [learner for learners in by_cohort.values() for learner in learners]
    return CertificationFigures(engine.certification(everyone), awaiting)
