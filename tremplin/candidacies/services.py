"""Writes on candidacies: referrals (one or many at once), public applications, selection."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tremplin.accounts.enums import Role
from tremplin.cohorts.models import Cohort
from tremplin.core.audit import audit, audit_entry
from tremplin.core.models import AuditEntry, TransitionLog
from tremplin.eligibility.selectors import eligibility_of
from tremplin.eligibility.services import DiagnosticError, acceptance_record
from tremplin.geo.tasks import locate_people
from tremplin.people.models import Person, identity_key

from .enums import CandidacySource
from .models import Candidacy
from .workflow import MANUAL_TRANSITIONS, candidacy_workflow


class DuplicateCandidacy(Exception):
    """The person already has a candidacy for this cohort."""

    def __init__(self, existing: Candidacy) -> None:
        super().__init__(f"Candidacy #{existing.pk} already exists")
        self.existing = existing


class CandidacyError(Exception):
    """A refused write; ``message`` is translated into the active language, for the page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PersonData:
    first_name: str
    last_name: str
    birth_date: Any
    email: str
    phone: str
    commune: str
    postal_code: str
    job_seeker_since: Any
    receives_rsa: bool
    qpv_declared: bool
    highest_diploma: str
    has_driving_licence: bool
    mobility: str
    consent_programme: bool
    consent_employers: bool
    address: str = ""
    sex: str = ""


# Facts a professional's new referral may refresh on a person already known: their situation
# and contact details, which change between two referrals. Names and identity never change this
# way, and neither do consents (see below).
REFRESHABLE_FACTS = (
    "address",
    "email",
    "phone",
    "commune",
    "postal_code",
    "job_seeker_since",
    "receives_rsa",
    "qpv_declared",
    "highest_diploma",
    "has_driving_licence",
    "mobility",
)


ADDRESS_FACTS = frozenset({"address", "commune", "postal_code"})

# Written when a referral withdraws the person's consent to employers (never to give it back).
CONSENT_FACTS = ("consent_employers", "consent_at")

# People are looked up and locked this many identity keys at a time: SQLite caps the parameters
# of one query, and rows are written in batches of the same size.
_SLICE = 500


@dataclass
class _Referral:
    """One person to refer: their data, the motivation, and the known person the referrer
    picked among likely duplicates, if any."""

    data: PersonData
    motivation: str
    chosen: Person | None = None
    key: str = field(init=False)

    def __post_init__(self) -> None:
        self.key = identity_key(self.data.first_name, self.data.last_name, self.data.birth_date)


def candidacy_create(
    *,
    cohort: Cohort,
    person_data: PersonData,
    motivation: str,
    by: Any | None,
    existing_person: Person | None = None,
) -> Candidacy:
    """A prescriber's referral (``by`` set) or a public application (``by`` None).

    ``existing_person`` is the person the referrer picked among likely duplicates; only a
    logged-in referrer may pick one, and the caller has checked they may see that person.
    Raises ``DuplicateCandidacy`` (nothing written) if the person is already in the cohort.
    """
    (outcome,) = _refer(
        cohort=cohort,
        referrals=[_Referral(person_data, motivation, chosen=existing_person)],
        by=by,
    )
    if isinstance(outcome, DuplicateCandidacy):
        raise outcome
    return outcome


def candidacy_create_many(
    *, cohort: Cohort, people: Sequence[tuple[PersonData, str]], by: Any | None
) -> list[Candidacy | DuplicateCandidacy]:
    """Refer many people to one cohort at once, under the rules of ``candidacy_create``.

    ``people`` are pairs of a person's data and the motivation. The result has one item per
    pair, in order: the new candidacy, or a ``DuplicateCandidacy`` (nothing written for that
    pair) holding the candidacy the person already has in the cohort, made before or by an
    earlier pair of the same call (the same person twice in one file). A refusal of any pair
    (consent missing) or of the whole (the referrer's organisation, the cohort started) raises
    ``CandidacyError`` and writes nothing. Runs in the caller's transaction, in a fixed number
    of queries per 500 people.
    """
    return _refer(
        cohort=cohort, referrals=[_Referral(data, motivation) for data, motivation in people], by=by
    )


def _refer(
    *, cohort: Cohort, referrals: Sequence[_Referral], by: Any | None
) -> list[Candidacy | DuplicateCandidacy]:
    """The referral rules, once for both the form (one person) and the import (many)."""
    if by is None and any(referral.chosen is not None for referral in referrals):
        raise CandidacyError(_("Seul un professionnel peut rattacher une personne existante."))
    if not all(referral.data.consent_programme for referral in referrals):
        raise CandidacyError(
            _("Le consentement de la personne au partage de ses données est requis.")
        )
    if by is not None and by.role == Role.PRESCRIBER and by.organisation_id is None:
        raise CandidacyError(_("Votre compte n'est rattaché à aucun prescripteur."))
    if cohort.start_date <= timezone.localdate():
        raise CandidacyError(
            _("Cette promotion a déjà commencé : choisissez une promotion à venir.")
        )
    try:
        with transaction.atomic():
            return _write(cohort=cohort, referrals=referrals, by=by)
    except IntegrityError:
        # Two referrals of the same person at the same instant: the constraint decided, once
        # the other transaction committed. Its candidacy is visible now: written again, the
        # person is found already referred. Any other violation is a real error.
        if not _referred_meanwhile(cohort, referrals):
            raise
        with transaction.atomic():
            return _write(cohort=cohort, referrals=referrals, by=by)


def _write(
    *, cohort: Cohort, referrals: Sequence[_Referral], by: Any | None
) -> list[Candidacy | DuplicateCandidacy]:
    now = timezone.now()
    people = _lock_people(referrals)
    referred = _candidacies_in(cohort, [person.pk for person in people if person is not None])
    organisation = by.organisation if by is not None else None
    new_people: dict[str, Person] = {}
    refreshed: list[Person] = []
    to_locate: list[Person] = []
    # The candidacy each person got from this call (by object: new people have no pk yet).
    made: dict[int, Candidacy] = {}
    # Per referral: its candidacy, whether it is someone else's (a duplicate), and the facts
    # it refreshed on a known person.
    outcomes: list[tuple[Candidacy, bool, list[str]]] = []
    for referral, known in zip(referrals, people, strict=True):
        person = known if known is not None else new_people.get(referral.key)
        if known is not None and known.pk in referred:
            outcomes.append((referred[known.pk], True, []))
            continue
        if person is not None and id(person) in made:
            outcomes.append((made[id(person)], True, []))
            continue
        changed: list[str] = []
        if person is None:
            person = new_people[referral.key] = _new_person(referral, now=now)
            to_locate.append(person)
        elif by is not None:
            # Anyone may fill the public form with a known name and birth date: an anonymous
            # application attaches to the person but changes nothing about them.
            changed = _refresh(person, referral.data, now=now)
            if changed:
                refreshed.append(person)
            if ADDRESS_FACTS.intersection(changed):
                to_locate.append(person)
        candidacy = made[id(person)] = Candidacy(
            person=person,
            cohort=cohort,
            source=CandidacySource.PUBLIC if by is None else CandidacySource.PRESCRIBER,
            prescriber_organisation=organisation,
            referred_by=by,
            motivation=referral.motivation,
        )
        outcomes.append((candidacy, False, changed))
    Person.objects.bulk_create(new_people.values(), batch_size=_SLICE)
    if refreshed:
        # One statement per slice for all of them: the fields any changed, each person's
        # unchanged ones written back as they were read (their rows are locked).
        written = {name for _candidacy, _duplicate, facts in outcomes for name in facts}
        fields = [name for name in (*REFRESHABLE_FACTS, *CONSENT_FACTS) if name in written]
        Person.objects.bulk_update(refreshed, fields, batch_size=_SLICE)
    # Each consent given or withdrawn leaves a record with the text's version (privacy).
    from tremplin.privacy.services import record_referral_consents

    record_referral_consents(
        created=new_people.values(),
        withdrew_employers=[
            c.person for c, _dup, facts in outcomes if "consent_employers" in facts
        ],
        by=by,
        at=now,
    )
    Candidacy.objects.bulk_create(made.values(), batch_size=_SLICE)
    # bulk_create and bulk_update send no signals: the indicators' facts follow here.
    from tremplin.reports.facts import refresh_learner_facts

    refresh_learner_facts([c.pk for c in made.values()], people=[p.pk for p in refreshed])
    entries: list[AuditEntry] = []
    for candidacy, duplicate, changed in outcomes:
        if duplicate:
            continue
        if changed:
            entries.append(
                audit_entry(
                    actor=by,
                    action="person.refresh",
                    obj=candidacy.person,
                    fields=",".join(changed),
                )
            )
        entries.append(
            audit_entry(actor=by, action="candidacy.create", obj=candidacy, cohort=cohort.pk)
        )
    AuditEntry.objects.bulk_create(entries, batch_size=_SLICE)
    if to_locate:
        _locate_after_commit([person.pk for person in to_locate])
    return [
        DuplicateCandidacy(candidacy) if duplicate else candidacy
        for candidacy, duplicate, _changed in outcomes
    ]


def _lock_people(referrals: Sequence[_Referral]) -> list[Person | None]:
    """Each referral's known person, locked till the commit; None for someone new."""
    locked: dict[int, Person] = {}
    for referral in referrals:
        if referral.chosen is not None and referral.chosen.pk not in locked:
            # The referrer recognised the person among likely duplicates (same email or phone).
            locked[referral.chosen.pk] = Person.objects.select_for_update().get(
                pk=referral.chosen.pk
            )
    # In key order, so that two imports sharing people lock them in the same order.
    keys = sorted({referral.key for referral in referrals if referral.chosen is None})
    by_key: dict[str, Person] = {}
    for start in range(0, len(keys), _SLICE):
        part = keys[start : start + _SLICE]
        query = Person.objects.select_for_update().filter(identity_key__in=part)
        for person in query.order_by("identity_key"):
            by_key[person.identity_key] = locked.setdefault(person.pk, person)
    return [
        locked[referral.chosen.pk] if referral.chosen is not None else by_key.get(referral.key)
        for referral in referrals
    ]


def _candidacies_in(cohort: Cohort, person_ids: list[int]) -> dict[int, Candidacy]:
    """The candidacies these people already have in the cohort, by person."""
    found: dict[int, Candidacy] = {}
    ids = sorted(set(person_ids))
    for start in range(0, len(ids), _SLICE):
        part = ids[start : start + _SLICE]
        found.update(
            (candidacy.person_id, candidacy)
            for candidacy in Candidacy.objects.filter(cohort=cohort, person_id__in=part)
        )
    return found


def _referred_meanwhile(cohort: Cohort, referrals: Sequence[_Referral]) -> bool:
    keys = sorted({referral.key for referral in referrals})
    chosen = [referral.chosen.pk for referral in referrals if referral.chosen is not None]
    in_cohort = Candidacy.objects.filter(cohort=cohort)
    if chosen and in_cohort.filter(person_id__in=chosen).exists():
        return True
    return any(
        in_cohort.filter(person__identity_key__in=keys[start : start + _SLICE]).exists()
        for start in range(0, len(keys), _SLICE)
    )


def _new_person(referral: _Referral, *, now: datetime.datetime) -> Person:
    fields = dict(referral.data.__dict__)
    fields["first_name"] = " ".join(referral.data.first_name.split())
    fields["last_name"] = " ".join(referral.data.last_name.split())
    return Person(**fields, consent_at=now, identity_key=referral.key)


def _refresh(person: Person, data: PersonData, *, now: datetime.datetime) -> list[str]:
    """Bring a known person's facts up to date from a professional's referral (in memory);
    the fields changed."""
    changed = [name for name in REFRESHABLE_FACTS if getattr(person, name) != getattr(data, name)]
    for name in changed:
        setattr(person, name, getattr(data, name))
    if person.consent_employers and not data.consent_employers:
        # A person may withdraw consent through any referral; only they (or their own
        # advisor, later) may give it back, never a new referral from anyone.
        person.consent_employers = False
        person.consent_at = now
        changed += CONSENT_FACTS
    return changed


def _locate_after_commit(person_ids: list[int]) -> None:
    """Geocode the addresses and look up their QPV in the background, once the people are
    saved: one task for the whole batch."""
    transaction.on_commit(lambda: locate_people.enqueue(person_ids))


def notify_prescriber(candidacy: Candidacy, log: TransitionLog) -> None:
    recipient = candidacy.referred_by
    if recipient is None or not recipient.email or not recipient.notify_candidacy_updates:
        return
    # Users have no language preference yet: emails go out in the site's default language
    # (French), whatever language the coordinator who made the decision browses in.
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "name": candidacy.person.full_name,
            "cohort": candidacy.cohort.name,
            "state": candidacy_workflow.state_labels[log.to_state],
        }
        lines = [
            _("Bonjour,"),
            "",
            _(
                "La candidature de %(name)s à la promotion « %(cohort)s » est passée à "
                "l'état : %(state)s."
            )
            % values,
        ]
        if log.reason:
            reason = candidacy_workflow.reason_labels[log.transition][log.reason]
            lines.append(_("Motif : %(reason)s") % {"reason": reason})
        url = settings.SITE_URL + reverse("candidacy_detail", args=[candidacy.pk])
        lines += ["", _("Détail : %(url)s") % {"url": url}]
        body = "\n".join(lines) + "\n"
        subject = _("Candidature de %(name)s : %(state)s") % values
    send_mail(subject, body, None, [recipient.email])


def candidacy_transition(
    *,
    candidacy: Candidacy,
    transition: str,
    by: Any,
    reason: str = "",
    comment: str = "",
    override_reason: str = "",
) -> TransitionLog:
    """Move a candidacy through a selection decision.

    « accept » is gated by eligibility: it needs a diagnostic of the person that counts at the
    cohort's site and meets the programme's rule (``eligibility.selectors.eligibility_of``),
    or a coordinator's override whose written reason (``override_reason``, ten characters at
    least) is stored, audited and copied into the transition log's comment.
    """
    if transition not in MANUAL_TRANSITIONS:
        raise CandidacyError(_("Cette action n'est pas possible ici."))
    with transaction.atomic():
        if transition == "accept":
            current = Candidacy.objects.select_for_update().get(pk=candidacy.pk).status
            # From a state it cannot be accepted from, the workflow's own message says so; from
            # the others, the row stays locked until the transition below is written.
            if current in candidacy_workflow.get("accept").sources:
                check = eligibility_of(candidacy)
                try:
                    acceptance = acceptance_record(
                        candidacy=candidacy, by=by, check=check, override_reason=override_reason
                    )
                except DiagnosticError as error:
                    raise CandidacyError(error.message) from None
                if acceptance.is_override:
                    note = _("Dérogation à la règle d'éligibilité : %(reason)s") % {
                        "reason": acceptance.override_reason
                    }
                    comment = f"{comment.strip()}\n{note}" if comment.strip() else note
        log = candidacy_workflow.apply(candidacy, transition, by=by, reason=reason, comment=comment)
        audit(actor=by, action=f"candidacy.{transition}", obj=candidacy, reason=reason)
        transaction.on_commit(lambda: notify_prescriber(candidacy, log))
    return log
