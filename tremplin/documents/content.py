"""What each document says about a learner: the facts gathered from the other contexts.

Hours come from the countersigned attendance sheets (``attendance.selectors.hours_of``), the
results from the current competency levels and the readiness per block
(``assessments.selectors.enrolment_readiness``): nothing is recomputed here.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tremplin.assessments.selectors import BlockVerdict, enrolment_readiness
from tremplin.attendance.selectors import Hours, hours_of
from tremplin.cohorts.models import CompetencyAssessment, Enrolment
from tremplin.employers.enums import ProposalStatus
from tremplin.employers.models import Proposal
from tremplin.organisations.models import Organisation
from tremplin.programmes.enums import CompetencyLevel
from tremplin.programmes.models import Certification

# The nature of the action among the four of article L.6313-1 du Code du travail; Tremplin's
# courses are always training actions (never a skills review, VAE or apprenticeship).
NATURE = "Action de formation"
NATURE_ARTICLE = "article L.6313-1 du Code du travail"


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date


def period_of(enrolment: Enrolment) -> Period:
    """From the cohort's start (or the learner's later entry) to their exit or the cohort's end."""
    cohort = enrolment.cohort
    start = max(cohort.start_date, enrolment.enrolled_at.date())
    return Period(start, enrolment.ended_on or cohort.end_date)


def employer_of(enrolment: Enrolment, period: Period) -> Organisation | None:
    """The learner's employer during the action, if they were hired through a proposal before
    it began; Tremplin's learners are otherwise job seekers, which the certificat says."""
    hired = (
        Proposal.objects.filter(enrolment=enrolment, status=ProposalStatus.HIRED)
        .filter(hired_start_date__lte=period.start)
        .select_related("opening__employer")
        .first()
    )
    return hired.opening.employer if hired else None


@dataclass(frozen=True)
class Common:
    """What both documents state: who, which course, where, when, how long."""

    enrolment: Enrolment
    person: Any
    cohort: Any
    programme: Any
    organisation: Organisation
    site: Any
    period: Period
    hours: Hours
    nature: str = NATURE
    nature_article: str = NATURE_ARTICLE

    @property
    def attendance_rate(self) -> Decimal | None:
        if not self.hours.planned:
            return None
        return (100 * self.hours.attended / self.hours.planned).quantize(Decimal("1"))


def common_of(enrolment: Enrolment) -> Common:
    cohort = enrolment.cohort
    return Common(
        enrolment=enrolment,
        person=enrolment.person,
        cohort=cohort,
        programme=cohort.programme,
        organisation=cohort.site.network,
        site=cohort.site,
        period=period_of(enrolment),
        hours=hours_of(enrolment),
    )


@dataclass(frozen=True)
class Certificat:
    common: Common
    employer: Organisation | None


def certificat_of(enrolment: Enrolment) -> Certificat:
    common = common_of(enrolment)
    return Certificat(common, employer_of(enrolment, common.period))


@dataclass(frozen=True)
class BlockResult:
    verdict: BlockVerdict
    acquired: list[CompetencyAssessment]


@dataclass(frozen=True)
class CertificationResult:
    """One certification the course prepares for, with the learner's results per block."""

    certification: Certification
    blocks: list[BlockResult]


@dataclass(frozen=True)
class Attestation:
    common: Common
    certifications: list[CertificationResult]

    @property
    def acquired(self) -> int:
        return sum(len(b.acquired) for c in self.certifications for b in c.blocks)


def attestation_of(enrolment: Enrolment) -> Attestation:
    common = common_of(enrolment)
    acquired: dict[int, list[CompetencyAssessment]] = {}
    for assessment in (
        CompetencyAssessment.objects.filter(enrolment=enrolment, level=CompetencyLevel.ACQUIRED)
        .select_related("competency")
        .order_by("competency__position", "competency_id")
    ):
        acquired.setdefault(assessment.competency.block_id, []).append(assessment)
    # The verdicts come in the programme's order, certification by certification.
    certifications: list[CertificationResult] = []
    for verdict in enrolment_readiness(enrolment):
        certification = verdict.block.certification
        if not certifications or certifications[-1].certification.pk != certification.pk:
            certifications.append(CertificationResult(certification, []))
        certifications[-1].blocks.append(BlockResult(verdict, acquired.get(verdict.block.pk, [])))
    return Attestation(common, certifications)
