"""The matching engine on real rows: learners' acquired competencies and job searches, openings.

Adapts enrolments and openings to ``tremplin.engine.matching`` (which knows nothing of
Django), and its answers back to rows with explanations a page can show: each term's part
and share, the competencies matched and missing by title, the distance. Learners and
openings the engine cannot score (no location: no distance is ever made up) or may not be
proposed (no consent to employers) come back as refusals with a message, never scored.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings as django_settings
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.cohorts.enums import EnrolmentStatus
from tremplin.cohorts.models import Cohort, CompetencyAssessment, Enrolment
from tremplin.engine.matching import assignment as engine_assignment
from tremplin.engine.matching import model as engine
from tremplin.engine.matching import scoring
from tremplin.outcomes.enums import EMPLOYED_SITUATIONS
from tremplin.outcomes.models import FollowUp
from tremplin.programmes.enums import CompetencyLevel
from tremplin.programmes.models import Competency

from . import semantic_matching
from .enums import ContractType, OpeningStatus, ProposalStatus, WorkingTimeWish
from .models import JobSearch, Opening, Proposal

# The project's contract types → the engine's (France Travail's words).
ENGINE_CONTRACTS = {
    ContractType.CDI: "CDI",
    ContractType.CDD: "CDD",
    ContractType.INTERIM: "interim",
    ContractType.APPRENTICESHIP: "apprentissage",
    ContractType.PROFESSIONALISATION: "professionnalisation",
}

# Terms of a score in the order pages show them; labels are translated when rendered.
TERMS = (
    "competencies",
    "commute",
    "contract",
    "hours",
    "availability",
    "experience",
    "missing_required",
)


def engine_mobility(mobility: str, has_driving_licence: bool) -> str:
    """The engine's mobility for a person's declared one (``model.mobility_from_declared``)."""
    return engine.mobility_from_declared(mobility, has_driving_licence)


def engine_settings() -> engine.Settings:
    raw = str(django_settings.MATCHING_MISSING_REQUIRED).strip()
    missing: Any = "exclude" if raw == "exclude" else float(raw)
    return engine.Settings(
        missing_required=missing, experience_weight=semantic_matching.semantic_weight()
    )


@dataclass(frozen=True)
class Refusal:
    """Someone or something left out of a ranking or a placement, and why (translated)."""

    kind: str  # "learner", "opening", or "setting" (the engine refused the whole ranking)
    id: int
    label: str
    reason: str


@dataclass
class Explanation:
    """One pair's score, ready for a page (and for a run's stored result, as JSON)."""

    total: float
    parts: dict[str, float]
    shares: dict[str, float]
    matched_required: list[str]
    missing_required: list[str]
    matched_desired: list[str]
    distance_km: float
    reach_km: float
    mobility: str
    notes: list[str] = field(default_factory=list)
    excluded_reason: str | None = None

    @property
    def terms(self) -> list[dict[str, Any]]:
        """(term, part, share in %) in display order, for the bars of the explanation."""
        return [
            {"term": term, "part": self.parts[term], "percent": round(100 * self.shares[term])}
            for term in TERMS
            if term in self.parts
        ]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Explanation:
        return cls(**data)


def _explain(scored: scoring.Scored, labels: dict[str, str]) -> Explanation:
    def titled(ids: Iterable[str]) -> list[str]:
        return sorted(labels.get(i, i) for i in ids)

    return Explanation(
        total=round(scored.total, 4),
        parts={name: round(part, 4) for name, part in scored.parts.items()},
        shares={name: round(share, 4) for name, share in scored.shares().items()},
        matched_required=titled(scored.matched_required),
        missing_required=titled(scored.missing_required),
        matched_desired=titled(scored.matched_desired),
        distance_km=round(scored.distance_km, 1),
        reach_km=round(scored.reach_km, 1),
        mobility=scored.mobility,
        notes=list(scored.notes),
        excluded_reason=scored.excluded_reason,
    )


def competency_labels(ids: Iterable[int | str]) -> dict[str, str]:
    """Engine ids (competency pks as text) → « BC02.1 Préparer un câble… »."""
    wanted = {int(i) for i in ids}
    return {
        str(pk): f"{code} {title}"
        for pk, code, title in Competency.objects.filter(pk__in=wanted).values_list(
            "pk", "code", "title"
        )
    }


# --- rows → engine facts ----------------------------------------------------------------


def placeable_enrolments(queryset: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Learners who may be put forward: in training or graduated, not hired through a
    proposal, and not found in work at their latest follow-up (a job found on their own)."""
    hired = Proposal.objects.filter(status=ProposalStatus.HIRED).values("enrolment_id")
    latest_situation = (
        FollowUp.objects.filter(enrolment=OuterRef("pk"))
        .order_by("-recorded_on", "-id")
        .values("situation")[:1]
    )
    return (
        queryset.filter(status__in=[EnrolmentStatus.IN_TRAINING, EnrolmentStatus.COMPLETED])
        .exclude(pk__in=hired)
        # No follow-up yet reads as "" (not NULL, which NOT IN would drop).
        .annotate(latest_situation=Coalesce(Subquery(latest_situation), Value("")))
        .exclude(latest_situation__in=list(EMPLOYED_SITUATIONS))
        .select_related("candidacy__person", "cohort")
    )


def open_openings() -> QuerySet[Opening]:
    return Opening.objects.filter(status=OpeningStatus.OPEN).select_related("employer")


def availability(
    search: JobSearch | None, enrolment: Enrolment, today: datetime.date
) -> datetime.date:
    """When the learner can start: their stated date, else the cohort's end, never before
    today."""
    available = (search.available_from if search else None) or enrolment.cohort.end_date
    return max(available, today) if available else today


def available_dates(enrolments: Sequence[Enrolment]) -> dict[int, datetime.date]:
    """Each enrolment's availability as the matching reads it, in one query."""
    today = timezone.localdate()
    searches = {s.enrolment_id: s for s in JobSearch.objects.filter(enrolment__in=enrolments)}
    return {e.pk: availability(searches.get(e.pk), e, today) for e in enrolments}


def learner_facts(
    enrolments: Sequence[Enrolment], *, today: datetime.date | None = None
) -> tuple[list[engine.Learner], list[Refusal]]:
    """Engine learners for these enrolments, and who was left out (no consent, no location)."""
    today = today or timezone.localdate()
    ids = [e.pk for e in enrolments]
    acquired: dict[int, set[str]] = defaultdict(set)
    for enrolment_id, competency_id in CompetencyAssessment.objects.filter(
        enrolment_id__in=ids, level=CompetencyLevel.ACQUIRED
    ).values_list("enrolment_id", "competency_id"):
        acquired[enrolment_id].add(str(competency_id))
    searches = {s.enrolment_id: s for s in JobSearch.objects.filter(enrolment_id__in=ids)}
    learners, refused = [], []
    for enrolment in enrolments:
        person = enrolment.candidacy.person
        if not person.consent_employers:
            refused.append(
                Refusal(
                    "learner",
                    enrolment.pk,
                    person.full_name,
                    _("n'a pas consenti à la transmission de son profil aux employeurs."),
                )
            )
            continue
        if person.latitude is None or person.longitude is None:
            refused.append(
                Refusal(
                    "learner",
                    enrolment.pk,
                    person.full_name,
                    _(
                        "domicile non localisé : renseignez son adresse ou sa commune ; "
                        "aucune distance n'est inventée."
                    ),
                )
            )
            continue
        search = searches.get(enrolment.pk)
        learners.append(
            engine.Learner(
                id=str(enrolment.pk),
                competencies=frozenset(acquired[enrolment.pk]),
                location=(person.latitude, person.longitude),
                max_km=float(search.max_km if search else JobSearch.DEFAULT_MAX_KM),
                mobility=engine_mobility(person.mobility, person.has_driving_licence),
                # A stored value no longer among the contract types is ignored rather than
                # failing the whole ranking.
                contracts=frozenset(
                    ENGINE_CONTRACTS[ContractType(c)]
                    for c in (search.contracts if search else [])
                    if c in ContractType.values
                ),
                hours=search.working_time if search else WorkingTimeWish.ANY,
                available_from=availability(search, enrolment, today),
            )
        )
    return semantic_matching.with_experience(learners, searches), refused


def opening_facts(openings: Sequence[Opening]) -> tuple[list[engine.Opening], list[Refusal]]:
    """Engine openings with their free positions; those without a location are refused."""
    ids = [o.pk for o in openings]
    required: dict[int, set[str]] = defaultdict(set)
    desired: dict[int, set[str]] = defaultdict(set)
    for opening_id, competency_id in Opening.required_competencies.through.objects.filter(
        opening_id__in=ids
    ).values_list("opening_id", "competency_id"):
        required[opening_id].add(str(competency_id))
    for opening_id, competency_id in Opening.desired_competencies.through.objects.filter(
        opening_id__in=ids
    ).values_list("opening_id", "competency_id"):
        desired[opening_id].add(str(competency_id))
    hired = dict(
        Proposal.objects.filter(opening_id__in=ids, status=ProposalStatus.HIRED)
        .values_list("opening_id")
        .annotate(n=Count("id"))
        .values_list("opening_id", "n")
    )
    result, refused = [], []
    for opening in openings:
        free = opening.positions - hired.get(opening.pk, 0)
        if free < 1:
            continue
        if opening.latitude is None or opening.longitude is None:
            refused.append(
                Refusal(
                    "opening",
                    opening.pk,
                    opening.title,
                    _("lieu de travail non localisé : renseignez la commune de l'offre."),
                )
            )
            continue
        result.append(
            engine.Opening(
                id=str(opening.pk),
                required=frozenset(required[opening.pk]),
                desired=frozenset(desired[opening.pk] - required[opening.pk]),
                location=(opening.latitude, opening.longitude),
                contract=ENGINE_CONTRACTS[ContractType(opening.contract_type)],
                hours=opening.working_time,
                starts=opening.starts_on,
                positions=free,
            )
        )
    return semantic_matching.with_offer_text(result, openings), refused


def _labels_for(
    learners: Sequence[engine.Learner], openings: Sequence[engine.Opening]
) -> dict[str, str]:
    ids: set[str] = set()
    for opening in openings:
        ids |= opening.required | opening.desired
    return competency_labels(ids)


# --- rankings ----------------------------------------------------------------------------


@dataclass
class Ranked:
    """A ranking page's content: the rows with their explanation, and who was left out."""

    rows: list[tuple[Any, Explanation]]
    refused: list[Refusal]


def _refused_by_engine(error: engine.MatchingInputError) -> Ranked:
    """A ranking the engine refused (a setting, the optional encoder missing): no rows, the
    engine's French message for the page instead of an error page."""
    return Ranked([], [Refusal("setting", 0, _("Classement impossible"), str(error))])


def openings_for_enrolment(enrolment: Enrolment, k: int | None = None) -> Ranked:
    """The k open openings that suit this learner best, best first."""
    try:
        return _openings_for_enrolment(enrolment, k)
    except engine.MatchingInputError as error:
        return _refused_by_engine(error)


def _openings_for_enrolment(enrolment: Enrolment, k: int | None) -> Ranked:
    k = k or django_settings.MATCHING_TOP_K
    learners, refused = learner_facts([enrolment])
    openings_rows = list(open_openings())
    openings, refused_openings = opening_facts(openings_rows)
    if not learners or not openings:
        return Ranked([], refused)
    settings = engine_settings()
    ranking = scoring.top_openings(learners, openings, k=k, settings=settings)
    by_id = {str(o.pk): o for o in openings_rows}
    labels = _labels_for(learners, openings)
    rows = []
    for column, value in zip(ranking.indices[0], ranking.scores[0], strict=True):
        if column < 0 or value <= 0:
            continue
        scored = scoring.score(learners[0], openings[column], settings)
        rows.append((by_id[openings[column].id], _explain(scored, labels)))
    return Ranked(rows, refused + refused_openings)


def enrolments_for_opening(
    opening: Opening, candidates: QuerySet[Enrolment], k: int | None = None
) -> Ranked:
    """The k candidates (among those the caller may see) who suit this opening best."""
    try:
        return _enrolments_for_opening(opening, candidates, k)
    except engine.MatchingInputError as error:
        return _refused_by_engine(error)


def _enrolments_for_opening(
    opening: Opening, candidates: QuerySet[Enrolment], k: int | None
) -> Ranked:
    k = k or django_settings.MATCHING_TOP_K
    openings, refused = opening_facts([opening])
    enrolments = list(placeable_enrolments(candidates))
    learners, refused_learners = learner_facts(enrolments)
    if not openings or not learners:
        return Ranked([], refused + refused_learners)
    settings = engine_settings()
    ranking = scoring.top_learners(openings[0], learners, k=k, settings=settings)
    by_id = {str(e.pk): e for e in enrolments}
    labels = _labels_for(learners, openings)
    rows = []
    for row, value in zip(ranking.indices[0], ranking.scores[0], strict=True):
        if row < 0 or value <= 0:
            continue
        scored = scoring.score(learners[row], openings[0], settings)
        rows.append((by_id[learners[row].id], _explain(scored, labels)))
    return Ranked(rows, refused + refused_learners)


# --- a cohort's optimal placement --------------------------------------------------------


def cohort_placement(
    cohort: Cohort,
    *,
    locked: Iterable[Sequence[int]] = (),
    forbidden: Iterable[Sequence[int]] = (),
) -> dict[str, Any]:
    """The best placement of the cohort's placeable learners over every open position.

    Pairs already proposed are forbidden (a learner is proposed once per opening); a
    locked or forbidden pair whose learner or opening left the problem (hired, closed) is
    dropped with a note. Returns the JSON a ``MatchRun`` stores as its result.
    """
    enrolments = list(placeable_enrolments(cohort.enrolments.all()))
    learners, refused = learner_facts(enrolments)
    openings_rows = list(open_openings())
    openings, refused_openings = opening_facts(openings_rows)
    learner_ids = {learner.id for learner in learners}
    opening_ids = {opening.id for opening in openings}
    notes: list[str] = []

    def known(pairs: Iterable[Sequence[int]], what: str) -> list[tuple[str, str]]:
        kept = []
        for enrolment_id, opening_id in pairs:
            pair = (str(enrolment_id), str(opening_id))
            if pair[0] in learner_ids and pair[1] in opening_ids:
                kept.append(pair)
            else:
                notes.append(
                    _(
                        "Un couple %(what)s n'a plus lieu d'être "
                        "(apprenant ou offre sorti du calcul)."
                    )
                    % {"what": what}
                )
        return kept

    locked_pairs = known(locked, _("imposé"))
    forbidden_pairs = known(forbidden, _("interdit"))
    already = {
        (str(e), str(o))
        for e, o in Proposal.objects.filter(
            enrolment_id__in=[int(i) for i in learner_ids]
        ).values_list("enrolment_id", "opening_id")
    }
    if any(pair in already for pair in locked_pairs):
        notes.append(
            _("Un couple imposé est déjà proposé : il n'est pas proposé une seconde fois.")
        )
        locked_pairs = [pair for pair in locked_pairs if pair not in already]
    forbidden_pairs = sorted(set(forbidden_pairs) | {p for p in already if p[1] in opening_ids})
    result: dict[str, Any] = {
        "placements": [],
        "refused": [asdict(r) for r in refused + refused_openings],
        "notes": notes,
        "candidate_pairs": 0,
        "total": 0.0,
        "openings": len(openings),
    }
    if not learners or not openings:
        return result
    settings = engine_settings()
    proposal = engine_assignment.assign(
        learners, openings, settings, locked=locked_pairs, forbidden=forbidden_pairs
    )
    enrolment_by_id = {str(e.pk): e for e in enrolments}
    opening_by_id = {str(o.pk): o for o in openings_rows}
    labels = _labels_for(learners, openings)
    for placement in proposal.placements:
        enrolment = enrolment_by_id[placement.learner.id]
        entry: dict[str, Any] = {
            "enrolment": enrolment.pk,
            "name": enrolment.candidacy.person.full_name,
            "opening": None,
            "score": round(placement.score, 4),
            "locked": placement.locked,
            "alternative": None,
            "alternative_score": None,
            "explanation": None,
        }
        if placement.opening is not None:
            row = opening_by_id[placement.opening.id]
            entry.update(
                opening=row.pk,
                opening_title=row.title,
                employer=str(row.employer),
                explanation=_explain(
                    scoring.score(placement.learner, placement.opening, settings), labels
                ).as_json(),
            )
        if placement.alternative is not None:
            alternative = opening_by_id[placement.alternative.id]
            entry.update(
                alternative=alternative.pk,
                alternative_title=alternative.title,
                alternative_employer=str(alternative.employer),
                alternative_score=round(placement.alternative_score or 0.0, 4),
            )
        result["placements"].append(entry)
    result["candidate_pairs"] = proposal.candidate_pairs
    result["total"] = round(proposal.total, 4)
    return result


def unanswered_since() -> datetime.datetime:
    """Proposals created before this moment and still without an employer decision are flagged."""
    return timezone.now() - datetime.timedelta(days=django_settings.PROPOSAL_UNANSWERED_DAYS)


def unanswered(queryset: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """Proposals left without an answer (proposed or only seen) for the configured days."""
    return queryset.filter(
        Q(status__in=[ProposalStatus.PROPOSED, ProposalStatus.SEEN]),
        created_at__lt=unanswered_since(),
    )
