"""Retention rules as data, and the pure functions that turn a person's facts into due dates.

A person's data is kept while any rule keeps it: the due date of a person is the latest of
the due dates of their candidacies (none: of their record's creation). Each rule says what
starts it and for how long (docs/gdpr.md, « Durées de conservation »):

- a candidacy that never led to an enrolment: 2 years after its last activity (its creation,
  a transition, an update, a diagnostic of the person);
- a candidacy that did: the training record, kept from the end of the training action for
  the longest duration its funders or its programme require (3, 6 or 10 years; 6 by default);
- a record with no candidacy (left by a merge): 2 years after its creation.

Nothing here reads the database: ``tremplin.gdpr.selectors`` gathers the facts in bulk.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .enums import RetentionKind

WARNING_DAYS = 30
CANDIDACY_YEARS = 2
CONTACT_YEARS = 2
# Without a stated requirement: 6 years, above the 5-year civil prescription and the usual
# control periods of public funders; FSE+ conventions say 10 (docs/gdpr.md).
DEFAULT_TRAINING_YEARS = 6


@dataclass(frozen=True)
class Rule:
    kind: RetentionKind
    data: str | Promise
    start_event: str | Promise
    years: int | None  # None: set per funder or programme (RetentionRequirement)
    basis: str | Promise


RULES: tuple[Rule, ...] = (
    Rule(
        RetentionKind.CANDIDACY,
        _("Candidature et diagnostic d'une personne jamais entrée en formation"),
        _("dernière activité de la candidature (création, changement d'état, diagnostic)"),
        CANDIDACY_YEARS,
        _("Recommandation CNIL pour les candidats non retenus"),
    ),
    Rule(
        RetentionKind.TRAINING,
        _("Dossier de formation : inscription, émargements, évaluations, documents, suivis"),
        _("fin de l'action de formation (fin de la promotion ou sortie si plus tardive)"),
        None,
        _("Obligations envers les financeurs (contrôle de service fait) : 3, 6 ou 10 ans"),
    ),
    Rule(
        RetentionKind.CONTACT,
        _("Fiche de personne sans candidature"),
        _("création de la fiche"),
        CONTACT_YEARS,
        _("Recommandation CNIL pour les contacts sans suite"),
    ),
)
RULES_BY_KIND = {rule.kind: rule for rule in RULES}


def add_years(day: datetime.date, years: int) -> datetime.date:
    """``day`` ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class CandidacyFacts:
    candidacy_id: int
    last_activity: datetime.date
    training_end: datetime.date | None  # None: never enrolled
    training_years: int = DEFAULT_TRAINING_YEARS


@dataclass(frozen=True)
class Due:
    on: datetime.date
    kind: RetentionKind

    def warn_from(self) -> datetime.date:
        return self.on - datetime.timedelta(days=WARNING_DAYS)


def training_years(requirements: Iterable[int]) -> int:
    """The longest of the funders' and programme's requirements, or the default."""
    return max(requirements, default=DEFAULT_TRAINING_YEARS)


def candidacy_due(facts: CandidacyFacts) -> Due:
    if facts.training_end is None:
        return Due(add_years(facts.last_activity, CANDIDACY_YEARS), RetentionKind.CANDIDACY)
    return Due(add_years(facts.training_end, facts.training_years), RetentionKind.TRAINING)


def person_due(candidacies: Iterable[CandidacyFacts], created_on: datetime.date) -> Due:
    """The day the person's data may be anonymised: when the last rule keeping it ends."""
    dues = [candidacy_due(c) for c in candidacies]
    if not dues:
        return Due(add_years(created_on, CONTACT_YEARS), RetentionKind.CONTACT)
    # The latest wins; on a tie the training record names the rule (the stronger obligation).
    return max(dues, key=lambda d: (d.on, d.kind == RetentionKind.TRAINING))


@dataclass(frozen=True)
class Decision:
    action: str  # "anonymise", "warn", "keep"
    due: Due


def decide(due: Due, today: datetime.date) -> Decision:
    if due.on <= today:
        return Decision("anonymise", due)
    if due.warn_from() <= today:
        return Decision("warn", due)
    return Decision("keep", due)
