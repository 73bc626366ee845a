"""Reads of the GDPR context: the retention facts of people in bulk, notices, erasure checks."""

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.accounts.roles import is_network_admin
from tremplin.candidacies.enums import CandidacyStatus
from tremplin.candidacies.models import Candidacy
from tremplin.cohorts.models import CohortFunding
from tremplin.core.models import AuditEntry, TransitionLog
from tremplin.eligibility.models import Diagnostic
from tremplin.people.models import Person

from .models import Anonymisation, RetentionNotice, RetentionRequirement
from .retention import CandidacyFacts, Due, add_years, person_due, training_years

BATCH = 500


def _day(value: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(value).date() if value else None


Requirements = tuple[dict[int, int], dict[int, int], dict[int, set[int]]]


def _requirements(cohort_ids: set[int]) -> Requirements:
    """Years required by funder, by programme, and the funders of each cohort."""
    funder_years = dict(
        RetentionRequirement.objects.filter(funder__isnull=False).values_list("funder_id", "years")
    )
    programme_years = dict(
        RetentionRequirement.objects.filter(programme__isnull=False).values_list(
            "programme_id", "years"
        )
    )
    funders: dict[int, set[int]] = defaultdict(set)
    for cohort_id, funder_id in CohortFunding.objects.filter(cohort_id__in=cohort_ids).values_list(
        "cohort_id", "funder_id"
    ):
        funders[cohort_id].add(funder_id)
    return funder_years, programme_years, funders


def candidacy_facts(person_ids: list[int]) -> dict[int, list[CandidacyFacts]]:
    """Each person's candidacies as retention facts: 4 queries whatever their number."""
    transitions = TransitionLog.objects.filter(
        object_type="candidacy", object_id=OuterRef("pk")
    ).order_by("-at")
    updates = AuditEntry.objects.filter(
        object_type="candidacy", object_id=Cast(OuterRef("pk"), CharField())
    ).order_by("-at")
    rows = list(
        Candidacy.objects.filter(person_id__in=person_ids)
        .annotate(
            last_transition=Subquery(transitions.values("at")[:1]),
            last_update=Subquery(updates.values("at")[:1]),
        )
        .values(
            "pk",
            "person_id",
            "created_at",
            "cohort_id",
            "cohort__end_date",
            "cohort__programme_id",
            "enrolment__pk",
            "enrolment__ended_on",
            "last_transition",
            "last_update",
        )
        .order_by("pk")
    )
    diagnosed = {
        row["person_id"]: max(d for d in (row["made"], row["decided"]) if d)
        for row in Diagnostic.objects.filter(person_id__in=person_ids)
        .values("person_id")
        .annotate(made=Max("made_at"), decided=Max("decided_at"))
        .order_by()
    }
    funder_years, programme_years, funders = _requirements({r["cohort_id"] for r in rows})
    facts: dict[int, list[CandidacyFacts]] = defaultdict(list)
    for row in rows:
        moments = [row["created_at"], row["last_transition"], row["last_update"]]
        moments.append(diagnosed.get(row["person_id"]))
        last = max(m for m in moments if m)
        end = None
        years = training_years([])
        if row["enrolment__pk"]:
            end = max(d for d in (row["cohort__end_date"], row["enrolment__ended_on"]) if d)
            required = [funder_years[f] for f in funders[row["cohort_id"]] if f in funder_years]
            if row["cohort__programme_id"] in programme_years:
                required.append(programme_years[row["cohort__programme_id"]])
            years = training_years(required)
        facts[row["person_id"]].append(
            CandidacyFacts(row["pk"], _day(last) or last.date(), end, years)
        )
    return facts


def dues_of(people: list[tuple[int, datetime.datetime]]) -> dict[int, Due]:
    facts = candidacy_facts([pk for pk, _created in people])
    return {
        pk: person_due(facts.get(pk, []), _day(created) or created.date()) for pk, created in people
    }


def people_dues(batch: int = BATCH) -> Iterator[dict[int, Due]]:
    """The due date of every person not yet anonymised, by batches of ``batch`` people."""
    last = 0
    while True:
        chunk = list(
            Person.objects.filter(pk__gt=last, anonymisation__isnull=True)
            .order_by("pk")
            .values_list("pk", "created_at")[:batch]
        )
        if not chunk:
            return
        last = chunk[-1][0]
        yield dues_of(chunk)


def person_due_of(person: Person) -> Due:
    return dues_of([(person.pk, person.created_at)])[person.pk]


# --- erasure -----------------------------------------------------------------------------

OPEN_STATUSES = (
    CandidacyStatus.NEW,
    CandidacyStatus.INVITED,
    CandidacyStatus.POSITIONING,
    CandidacyStatus.WAITLISTED,
    CandidacyStatus.ACCEPTED,
)


@dataclass(frozen=True)
class ErasureCheck:
    allowed: bool
    reasons: list[str]
    possible_from: datetime.date | None  # None: allowed now, or once a candidacy is closed


def erasure_check(person: Person) -> ErasureCheck:
    """Whether the law lets the person's data be erased now, and if not why and from when."""
    if Anonymisation.objects.filter(person=person).exists():
        return ErasureCheck(
            False, [_("Les données de cette personne sont déjà anonymisées.")], None
        )
    reasons: list[str] = []
    possible: datetime.date | None = None
    today = timezone.localdate()
    open_count = person.candidacies.filter(status__in=OPEN_STATUSES).count()
    if open_count:
        reasons.append(
            _(
                "Une candidature est en cours : elle doit d'abord être close (refus ou "
                "désistement), les données servent à l'instruire."
            )
        )
    for facts in candidacy_facts([person.pk]).get(person.pk, []):
        if facts.training_end is None:
            continue
        until = add_years(facts.training_end, facts.training_years)
        if until > today:
            possible = max(possible or until, until)
    if possible:
        reasons.append(
            _(
                "Le dossier de formation doit être conservé après la fin de l'action pour les "
                "contrôles des financeurs et la preuve de la formation (obligation légale, "
                "article 17.3.b du RGPD) : effacement possible à partir du %(date)s."
            )
            % {"date": possible.strftime("%d/%m/%Y")}
        )
    return ErasureCheck(not reasons, reasons, possible)


# --- notices -----------------------------------------------------------------------------


def notices_for_user(user: Any) -> QuerySet[RetentionNotice]:
    """Pending notices of the people the user's site (coordinator) or network (admin) follows."""
    from tremplin.accounts.enums import Role

    qs = RetentionNotice.objects.filter(status="pending").select_related("person")
    if is_network_admin(user):
        scope = Person.objects.filter(candidacies__cohort__site__network_id=user.organisation_id)
    elif user.role == Role.COORDINATOR and user.site_id:
        scope = Person.objects.filter(candidacies__cohort__site_id=user.site_id)
    else:
        return qs.none()
    return qs.filter(person_id__in=scope.values("pk")).order_by("due_on", "id")
