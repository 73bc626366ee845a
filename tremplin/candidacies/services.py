"""Writes on candidacies: referral, public application and selection decisions."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tremplin.accounts.enums import Role
from tremplin.cohorts.models import Cohort
from tremplin.core.audit import audit
from tremplin.core.models import TransitionLog
from tremplin.eligibility.selectors import eligibility_of
from tremplin.eligibility.services import DiagnosticError, acceptance_record
from tremplin.geo.tasks import locate_person
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


def _find_or_create_person(
    data: PersonData, *, by: Any | None, chosen: Person | None = None
) -> Person:
    key = identity_key(data.first_name, data.last_name, data.birth_date)
    existing: Person | None
    if chosen is not None:
        # The referrer recognised the person among likely duplicates (same email or phone).
        existing = Person.objects.select_for_update().get(pk=chosen.pk)
    else:
        existing = Person.objects.select_for_update().filter(identity_key=key).first()
    if existing is None:
        fields = dict(data.__dict__)
        fields["first_name"] = " ".join(data.first_name.split())
        fields["last_name"] = " ".join(data.last_name.split())
        person = Person.objects.create(**fields, consent_at=timezone.now(), identity_key=key)
        _locate_after_commit(person)
        return person
    if by is None:
        # Anyone may fill the public form with a known name and birth date: an anonymous
        # application attaches to the person but changes nothing about them.
        return existing
    changed = [name for name in REFRESHABLE_FACTS if getattr(existing, name) != getattr(data, name)]
    for name in changed:
        setattr(existing, name, getattr(data, name))
    if existing.consent_employers and not data.consent_employers:
        # A person may withdraw consent through any referral; only they (or their own
        # advisor, later) may give it back, never a new referral from anyone.
        existing.consent_employers = False
        existing.consent_at = timezone.now()
        changed += ["consent_employers", "consent_at"]
    if changed:
        existing.save(update_fields=changed)
        audit(actor=by, action="person.refresh", obj=existing, fields=",".join(changed))
    if ADDRESS_FACTS.intersection(changed):
        _locate_after_commit(existing)
    return existing


def _locate_after_commit(person: Person) -> None:
    """Geocode the address and look up its QPV in the background, once the person is saved."""
    transaction.on_commit(lambda: locate_person.enqueue(person.pk))


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
    """
    if existing_person is not None and by is None:
        raise CandidacyError(_("Seul un professionnel peut rattacher une personne existante."))
    if not person_data.consent_programme:
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
            person = _find_or_create_person(person_data, by=by, chosen=existing_person)
            existing = Candidacy.objects.filter(person=person, cohort=cohort).first()
            if existing is not None:
                raise DuplicateCandidacy(existing)
            candidacy = Candidacy.objects.create(
                person=person,
                cohort=cohort,
                source=CandidacySource.PUBLIC if by is None else CandidacySource.PRESCRIBER,
                prescriber_organisation=by.organisation if by is not None else None,
                referred_by=by,
                motivation=motivation,
            )
            audit(actor=by, action="candidacy.create", obj=candidacy, cohort=cohort.pk)
    except IntegrityError:
        # Two referrals of the same person at the same instant: the constraint decided.
        key = identity_key(person_data.first_name, person_data.last_name, person_data.birth_date)
        existing = Candidacy.objects.filter(person__identity_key=key, cohort=cohort).first()
        if existing is None:
            raise
        raise DuplicateCandidacy(existing) from None
    return candidacy


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
