"""The facts of the « bilan pédagogique et financier » (cadre F) for a calendar year.

One ``BpfTrainee`` per enrolment trained during the year, on some sites (one site, or every
site of a network): its trainee category (from the person), its certification's objective,
RNCP level and NSF speciality, and the minutes it attended that year on countersigned sheets.
Six queries whatever the number of enrolments (tests/reports/test_bpf.py counts them).
Definitions: docs/indicators.md, « Bilan pédagogique et financier ».
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from tremplin.attendance.models import AttendanceEntry
from tremplin.attendance.selectors import attended_minutes
from tremplin.cohorts.models import CompetencyAssessment, Enrolment
from tremplin.engine.indicators.bpf import (
    OBJECTIVE_CQP,
    OBJECTIVE_OTHER,
    OBJECTIVE_RNCP,
    OBJECTIVE_RS,
    Bpf,
    BpfTrainee,
    bpf,
)
from tremplin.organisations.models import Site
from tremplin.programmes.enums import TrainingObjective
from tremplin.programmes.models import Certification, Track

# The first year the page offers: the platform holds no training before it.
FIRST_YEAR = 2020

_LEVEL = re.compile(r"niveau\s*([1-8])\b", re.IGNORECASE)

# The certification's stored objective → the engine's F-3 objective (and « CQP sans niveau »).
_OBJECTIVES: dict[str, tuple[str, bool]] = {
    TrainingObjective.RNCP: (OBJECTIVE_RNCP, False),
    TrainingObjective.RNCP_CQP_NO_LEVEL: (OBJECTIVE_RNCP, True),
    TrainingObjective.RS: (OBJECTIVE_RS, False),
    TrainingObjective.CQP: (OBJECTIVE_CQP, False),
    TrainingObjective.OTHER: (OBJECTIVE_OTHER, False),
}


def rncp_level(level: str) -> int | None:
    """The level number in ``Certification.level`` (« Niveau 3 (CAP) » → 3), None if absent."""
    found = _LEVEL.search(level)
    return int(found.group(1)) if found else None


def trainee_category(*, job_seeker_since: datetime.date | None, receives_rsa: bool) -> str:
    """F-1 line: c (job seekers) when registered with France Travail or on the RSA (whose
    recipients are registered with it since 2025); e (« autres stagiaires ») otherwise."""
    return "c" if job_seeker_since is not None or receives_rsa else "e"


def trained_in(sites: QuerySet[Site], year: int) -> QuerySet[Enrolment]:
    """The enrolments of ``sites`` trained during ``year``: in a cohort running that year,
    enrolled before its end and not gone before its first day nor before the cohort began."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    next_year = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    return Enrolment.objects.filter(
        Q(ended_on__isnull=True)
        | (Q(ended_on__gte=first) & Q(ended_on__gte=F("cohort__start_date"))),
        cohort__site__in=sites.values("pk"),
        cohort__start_date__lte=last,
        cohort__end_date__gte=first,
        enrolled_at__lt=next_year,
    )


@dataclass(frozen=True)
class _Certified:
    objective: str
    cqp_no_level: bool
    level: int | None
    nsf_code: str
    nsf_label: str


_NOT_STATED = _Certified("", False, None, "", "")


def _certifications(
    enrolments: QuerySet[Enrolment], programmes: set[int]
) -> tuple[dict[int, int], dict[int, int]]:
    """The certification each enrolment trains for, by enrolment id, and by programme id for a
    programme of one track. A learner is not linked to a track: the certification they are
    assessed on (the most assessments; a tie is not known), else their programme's only one."""
    counts: dict[int, list[tuple[int, int]]] = defaultdict(list)
    rows = (
        CompetencyAssessment.objects.filter(enrolment__in=enrolments.values("pk"))
        .order_by()
        .values_list("enrolment_id", "competency__block__certification_id")
        .annotate(n=Count("id"))
    )
    for enrolment_id, certification_id, n in rows:
        counts[enrolment_id].append((n, certification_id))
    chosen: dict[int, int] = {}
    for enrolment_id, pairs in counts.items():
        pairs.sort(reverse=True)
        if len(pairs) == 1 or pairs[0][0] > pairs[1][0]:
            chosen[enrolment_id] = pairs[0][1]
    tracks: dict[int, list[int]] = defaultdict(list)
    for programme_id, certification_id in Track.objects.filter(
        programme_id__in=programmes
    ).values_list("programme_id", "certification_id"):
        tracks[programme_id].append(certification_id)
    single = {programme_id: ids[0] for programme_id, ids in tracks.items() if len(ids) == 1}
    return chosen, single


def _attended(enrolments: QuerySet[Enrolment], year: int) -> dict[int, int]:
    """Minutes attended during ``year`` per enrolment id: countersigned sheets only, each line
    as it stands after corrections, late minutes deducted (attendance.selectors)."""
    minutes: dict[int, int] = defaultdict(int)
    entries = (
        AttendanceEntry.objects.filter(
            enrolment__in=enrolments.values("pk"),
            sheet__countersigned_at__isnull=False,
            sheet__session__date__year=year,
        )
        .select_related("sheet__session")
        .prefetch_related("corrections")
        .order_by()
    )
    for entry in entries:
        minutes[entry.enrolment_id] += attended_minutes(entry)
    return minutes


def bpf_facts(sites: QuerySet[Site], year: int) -> list[BpfTrainee]:
    """One fact per enrolment of ``sites`` trained during ``year``, in six queries."""
    enrolments = trained_in(sites, year)
    rows = list(
        enrolments.order_by("id").values_list(
            "id",
            "cohort__programme_id",
            "candidacy__person__job_seeker_since",
            "candidacy__person__receives_rsa",
        )
    )
    chosen, single = _certifications(enrolments, {row[1] for row in rows})
    certified = {
        pk: _Certified(
            *_OBJECTIVES.get(objective, ("", False)), rncp_level(level), nsf_code, nsf_label
        )
        for pk, objective, level, nsf_code, nsf_label in Certification.objects.filter(
            pk__in={*chosen.values(), *single.values()}
        ).values_list("pk", "objective", "level", "nsf_code", "nsf_label")
    }
    minutes = _attended(enrolments, year)
    facts = []
    for enrolment_id, programme_id, job_seeker_since, rsa in rows:
        certification_id = chosen.get(enrolment_id, single.get(programme_id))
        about = certified.get(certification_id, _NOT_STATED) if certification_id else _NOT_STATED
        facts.append(
            BpfTrainee(
                category=trainee_category(job_seeker_since=job_seeker_since, receives_rsa=rsa),
                objective=about.objective,
                # The level counts for an RNCP title only (F-3 a's « dont » lines).
                rncp_level=about.level if about.objective == OBJECTIVE_RNCP else None,
                cqp_no_level=about.cqp_no_level,
                nsf_code=about.nsf_code,
                nsf_label=about.nsf_label,
                minutes=minutes.get(enrolment_id, 0),
            )
        )
    return facts


def bpf_for(sites: QuerySet[Site], year: int) -> Bpf:
    return bpf(bpf_facts(sites, year))
