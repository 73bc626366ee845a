"""Writes and logged reads of sensitive data, and consents given and withdrawn.

Every function checks the permission itself (privacy.perms), runs in one transaction and
writes its audit entry in it. Audit details name the fields changed, never their values.
A read of sensitive data is an audit entry too (« sensitive.read »): N reads, N entries, in
the chained journal.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.audit import audit
from tremplin.core.validators import NIR_MESSAGE
from tremplin.engine.nir import find_nir
from tremplin.people.models import Person

from . import perms
from .consent_texts import current_text
from .enums import Benefit, ConsentPurpose, Housing
from .models import SENSITIVE_FIELDS, TEXT_FIELDS, ConsentRecord, SensitiveProfile, empty_content

TEXT_MAX_LENGTH = 2000


class PrivacyError(Exception):
    """A refused write; ``message`` is translated into the active language, for the page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def clean_sensitive_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields checked and normalised (domain types); PrivacyError on the first problem."""
    unknown = sorted(set(fields) - set(SENSITIVE_FIELDS))
    if unknown:
        raise PrivacyError(_("Champs inconnus : %(names)s.") % {"names": ", ".join(unknown)})
    clean = dict(fields)
    if "rqth" in clean and clean["rqth"] not in (True, False, None):
        raise PrivacyError(_("La RQTH est « oui », « non » ou non renseignée."))
    if "rqth_valid_until" in clean:
        value = clean["rqth_valid_until"]
        if value is not None and not isinstance(value, datetime.date):
            raise PrivacyError(_("La date de validité de la RQTH n'est pas une date."))
    if "benefits" in clean:
        benefits = list(clean["benefits"] or [])
        wrong = [b for b in benefits if b not in Benefit.values]
        if wrong:
            raise PrivacyError(
                _("Allocations inconnues : %(codes)s.") % {"codes": ", ".join(map(str, wrong))}
            )
        # In the catalogue's order, once each: the same answer gives the same document.
        clean["benefits"] = [b for b in Benefit.values if b in benefits]
    if "housing" in clean and clean["housing"] not in ("", *Housing.values):
        raise PrivacyError(_("Situation de logement inconnue."))
    for name in TEXT_FIELDS:
        if name not in clean:
            continue
        text = clean[name]
        if not isinstance(text, str):
            raise PrivacyError(_("« %(label)s » doit être un texte.") % {"label": _label(name)})
        text = text.strip()
        if len(text) > TEXT_MAX_LENGTH:
            raise PrivacyError(
                _("« %(label)s » : %(max)s caractères au plus.")
                % {"label": _label(name), "max": TEXT_MAX_LENGTH}
            )
        if find_nir(text) is not None:
            raise PrivacyError(f"« {_label(name)} » : {NIR_MESSAGE}")
        clean[name] = text
    return clean


def _label(name: str) -> str:
    return str(SENSITIVE_FIELDS[name])


def _check_rqth_date(content: dict[str, Any]) -> None:
    if content["rqth_valid_until"] is not None and content["rqth"] is not True:
        raise PrivacyError(
            _("Une date de validité de RQTH ne se saisit que si la personne a une RQTH.")
        )


def sensitive_profile_update(by: Any, person: Person, **fields: Any) -> SensitiveProfile | None:
    """Change some fields of the person's sensitive profile (the others stay as they are).

    Only the person's coordinators, and only while the person consents to the processing of
    these data. Returns the profile (None if nothing was ever stored and nothing changes).
    """
    if not perms.can_edit_sensitive(by, person):
        raise PermissionDenied
    clean = clean_sensitive_fields(fields)
    with transaction.atomic():
        # The person's row serialises writers: two first saves would both find no profile.
        Person.objects.select_for_update().filter(pk=person.pk).first()
        if active_consents(person, ConsentPurpose.SENSITIVE) == []:
            raise PrivacyError(
                _(
                    "La personne n'a pas consenti au traitement de ses données de santé et de "
                    "situation sociale : recueillez d'abord son consentement."
                )
            )
        profile = SensitiveProfile.objects.select_for_update().filter(person=person).first()
        before = profile.data if profile is not None else empty_content()
        after = before | clean
        _check_rqth_date(after)
        changed = [name for name in SENSITIVE_FIELDS if before[name] != after[name]]
        if not changed:
            return profile
        now = timezone.now()
        if profile is None:
            profile = SensitiveProfile(person=person, updated_at=now, updated_by=by)
            profile.set_data(after)
            profile.save()
        else:
            profile.set_data(after)
            profile.updated_at, profile.updated_by = now, by
            profile.save(update_fields=["ciphertext", "updated_at", "updated_by"])
        audit(actor=by, action="sensitive.update", obj=person, fields=",".join(changed))
    return profile


def sensitive_profile_read(by: Any, person: Person, purpose: str) -> dict[str, Any]:
    """The person's decrypted sensitive data (empty values when none stored), and one audit
    entry « sensitive.read » naming the reader and the purpose."""
    if not perms.can_read_sensitive(by, person):
        raise PermissionDenied
    purpose = (purpose or "").strip()
    if not purpose:
        raise PrivacyError(_("Une lecture de données sensibles doit dire pourquoi."))
    with transaction.atomic():
        profile = SensitiveProfile.objects.filter(person=person).first()
        content = profile.data if profile is not None else empty_content()
        audit(actor=by, action="sensitive.read", obj=person, purpose=purpose[:80])
    return content


# Consents.


def active_consents(person: Person, purpose: str) -> list[ConsentRecord]:
    return list(
        ConsentRecord.objects.filter(person=person, purpose=purpose, withdrawn_at__isnull=True)
    )


def consent_is_active(person: Person, purpose: str) -> bool:
    """Whether the person consents now: for employers the person's flag decides (every query
    filters on it), for the other purposes a record not withdrawn."""
    if purpose == ConsentPurpose.EMPLOYERS:
        return bool(person.consent_employers)
    return bool(active_consents(person, purpose))


def _new_record(person: Person, purpose: str, *, by: Any, at: datetime.datetime) -> ConsentRecord:
    text = current_text(purpose)
    return ConsentRecord(
        person=person,
        purpose=purpose,
        text_version=text.version,
        text_sha256=text.sha256,
        given_at=at,
        given_by=by if getattr(by, "pk", None) else None,
    )


def record_referral_consents(
    *,
    created: Iterable[Person],
    withdrew_employers: Iterable[Person],
    by: Any | None,
    at: datetime.datetime,
) -> None:
    """The consents of a referral (candidacies.services), in its transaction: the new
    people's (programme, and employers if given) under the current texts, recorded by the
    referrer or by the person themself (public application, ``by`` None); and the employers
    consent a new referral withdrew."""
    records = []
    for person in created:
        if person.consent_programme:
            records.append(_new_record(person, ConsentPurpose.PROGRAMME, by=by, at=at))
        if person.consent_employers:
            records.append(_new_record(person, ConsentPurpose.EMPLOYERS, by=by, at=at))
    # Two records at most per person: one statement per slice of 500 people, like the referral.
    ConsentRecord.objects.bulk_create(records, batch_size=1000)
    ids = [person.pk for person in withdrew_employers]
    if ids:
        ConsentRecord.objects.filter(
            person_id__in=ids, purpose=ConsentPurpose.EMPLOYERS, withdrawn_at__isnull=True
        ).update(withdrawn_at=at, withdrawn_by=by if getattr(by, "pk", None) else None)


def consent_give(*, by: Any, person: Person, purpose: str) -> ConsentRecord:
    """The person consents (themself, or through their coordinator) under the current text."""
    if not perms.can_manage_consents(by, person):
        raise PermissionDenied
    if purpose == ConsentPurpose.PROGRAMME:
        raise PrivacyError(_("Le consentement au programme se recueille lors de l'orientation."))
    if purpose not in ConsentPurpose.values:
        raise PrivacyError(_("Objet de consentement inconnu."))
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if consent_is_active(person, purpose):
            raise PrivacyError(_("Ce consentement est déjà donné."))
        now = timezone.now()
        actor = None if perms.acts_for_themself(by, person) else by
        # Records the flag contradicts (a merge keeps the more protective answer but moves
        # both people's records) are closed: the new one is the only one in force.
        ConsentRecord.objects.filter(
            person=person, purpose=purpose, withdrawn_at__isnull=True
        ).update(withdrawn_at=now, withdrawn_by=actor)
        record = _new_record(person, purpose, by=actor, at=now)
        record.save()
        if purpose == ConsentPurpose.EMPLOYERS:
            person.consent_employers, person.consent_at = True, now
            person.save(update_fields=["consent_employers", "consent_at"])
        audit(
            actor=by,
            action="consent.give",
            obj=person,
            purpose=purpose,
            version=record.text_version,
        )
    return record


def consent_withdraw(*, by: Any, person: Person, purpose: str) -> int:
    """Withdraw the person's consent for ``purpose``; returns how many records it closed.

    Employers: the flag goes off, employers no longer see the person. Sensitive data: the
    profile is deleted (its only basis was the consent). The programme: not here, since
    without it the person cannot be followed at all: that is an erasure request (RGPD).
    """
    if not perms.can_manage_consents(by, person):
        raise PermissionDenied
    if purpose == ConsentPurpose.PROGRAMME:
        raise PrivacyError(
            _(
                "Le consentement au programme ne se retire pas ici : sans lui la personne ne "
                "peut plus être suivie. Faites une demande d'effacement de ses données (RGPD)."
            )
        )
    if purpose not in ConsentPurpose.values:
        raise PrivacyError(_("Objet de consentement inconnu."))
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        now = timezone.now()
        actor = None if perms.acts_for_themself(by, person) else by
        closed = ConsentRecord.objects.filter(
            person=person, purpose=purpose, withdrawn_at__isnull=True
        ).update(withdrawn_at=now, withdrawn_by=actor)
        if not closed and not (purpose == ConsentPurpose.EMPLOYERS and person.consent_employers):
            raise PrivacyError(_("Aucun consentement en cours à retirer."))
        if purpose == ConsentPurpose.EMPLOYERS:
            person.consent_employers, person.consent_at = False, now
            person.save(update_fields=["consent_employers", "consent_at"])
        audit(actor=by, action="consent.withdraw", obj=person, purpose=purpose)
        if purpose == ConsentPurpose.SENSITIVE:
            deleted, _rows = SensitiveProfile.objects.filter(person=person).delete()
            if deleted:
                audit(actor=by, action="sensitive.delete", obj=person, reason="consent.withdraw")
    return closed
