"""Writes on eligibility: make a diagnostic with its proofs, confirm or reject it, record why a
candidacy was accepted (a valid diagnostic or a coordinator's override)."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tremplin.accounts.enums import Role
from tremplin.candidacies.models import Candidacy
from tremplin.core.audit import audit
from tremplin.core.models import TransitionLog
from tremplin.core.storage import storage_error_message

from . import perms
from .enums import AuthorKind, DiagnosticStatus
from .models import MIN_OVERRIDE_LENGTH, Acceptance, Diagnostic, DiagnosticCriterion, Proof
from .proofs import CheckedProof, ProofRejected, check_proof
from .selectors import EligibilityCheck, catalogue_criteria, derived_criteria
from .workflow import diagnostic_workflow


class DiagnosticError(Exception):
    """A refused write; ``message`` is translated for the page, ``field`` names the culprit."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class ProofUpload:
    name: str
    content: bytes
    issued_on: datetime.date


def validity_months() -> int:
    return int(getattr(settings, "ELIGIBILITY_DIAGNOSTIC_VALIDITY_MONTHS", 6))


def _author_kind(by: Any) -> AuthorKind:
    if by.role == Role.COORDINATOR:
        return AuthorKind.COORDINATOR
    if by.organisation is not None and by.organisation.is_habilitated:
        return AuthorKind.HABILITATED_PRESCRIBER
    return AuthorKind.PRESCRIBER


def _proof_valid_until(issued_on: datetime.date, days: int) -> datetime.date | None:
    return issued_on + datetime.timedelta(days=days) if days else None


def diagnostic_create(
    *,
    candidacy: Candidacy,
    by: Any,
    criteria: Collection[str],
    proofs: Mapping[str, Sequence[ProofUpload]],
    registered_with_france_travail: bool,
    notes: str = "",
) -> Diagnostic:
    """A diagnostic of ``candidacy``'s person by ``by``, with one or more proofs per criterion.

    ``criteria`` are codes of the newest catalogue; ``proofs`` maps a code to its uploads.
    A criterion derived from a fact the programme holds as proof (age from the birth date,
    a detected priority neighbourhood) needs no upload; every other one does. Nothing is
    written, in the database or on disk, unless everything is acceptable.
    """
    if not perms.can_make_diagnostic(by, candidacy):
        raise DiagnosticError(_("Vous ne pouvez pas établir de diagnostic pour cette personne."))
    today = timezone.localdate()
    catalogue = {c.code: c for c in catalogue_criteria()}
    if not catalogue:
        raise DiagnosticError(_("Le catalogue des critères n'est pas installé."))
    if not criteria:
        raise DiagnosticError(_("Cochez au moins un critère d'éligibilité."))
    unknown = sorted(set(criteria) - set(catalogue))
    if unknown:
        raise DiagnosticError(_("Critère inconnu : %(code)s.") % {"code": ", ".join(unknown)})
    for code in sorted(set(proofs) - set(criteria)):
        if proofs[code]:
            raise DiagnosticError(
                _("Un justificatif est joint au critère « %(criterion)s », qui n'est pas coché.")
                % {"criterion": catalogue[code].label}
                if code in catalogue
                else _("Critère inconnu : %(code)s.") % {"code": code},
                field=f"proof_{code}",
            )
    derived = derived_criteria(candidacy.person, list(catalogue.values()), today)
    checked: dict[str, list[tuple[ProofUpload, CheckedProof]]] = {}
    for code in sorted(criteria, key=lambda c: (catalogue[c].level, catalogue[c].position)):
        criterion = catalogue[code]
        uploads: list[ProofUpload] = list(proofs.get(code, ()))
        found = derived.get(code)
        needs_proof = not (found is not None and found.stands_as_proof)
        if needs_proof and not uploads:
            raise DiagnosticError(
                _("Joignez le justificatif du critère « %(criterion)s » : %(proof)s.")
                % {"criterion": criterion.label, "proof": criterion.proof},
                field=f"proof_{code}",
            )
        checked[code] = []
        for upload in uploads:
            try:
                sniffed = check_proof(upload.name, upload.content)
            except ProofRejected as error:
                raise DiagnosticError(error.message, field=f"proof_{code}") from None
            if upload.issued_on > today:
                raise DiagnosticError(
                    _("La date du justificatif « %(name)s » est dans le futur.")
                    % {"name": upload.name},
                    field=f"issued_{code}",
                )
            until = _proof_valid_until(upload.issued_on, criterion.proof_validity_days)
            if until is not None and until < today:
                raise DiagnosticError(
                    _(
                        "Le justificatif « %(name)s » du %(issued)s a expiré le %(until)s : "
                        "pour « %(criterion)s », il doit dater de moins de %(days)s jours."
                    )
                    % {
                        "name": upload.name,
                        "issued": f"{upload.issued_on:%d/%m/%Y}",
                        "until": f"{until:%d/%m/%Y}",
                        "criterion": criterion.label,
                        "days": criterion.proof_validity_days,
                    },
                    field=f"issued_{code}",
                )
            checked[code].append((upload, sniffed))
    if by.role == Role.PRESCRIBER and by.organisation_id is None:
        raise DiagnosticError(_("Votre compte n'est rattaché à aucun prescripteur."))
    kind = _author_kind(by)
    site = None if kind == AuthorKind.HABILITATED_PRESCRIBER else candidacy.cohort.site
    status = (
        DiagnosticStatus.TO_CONFIRM
        if kind == AuthorKind.PRESCRIBER
        else DiagnosticStatus.AUTHORITATIVE
    )
    if (
        status == DiagnosticStatus.TO_CONFIRM
        and Diagnostic.objects.filter(
            person=candidacy.person, site=site, status=DiagnosticStatus.TO_CONFIRM
        ).exists()
    ):
        raise DiagnosticError(
            _("Un diagnostic de cette personne attend déjà la confirmation du site.")
        )

    written: list[str] = []
    try:
        with transaction.atomic():
            now = timezone.now()
            diagnostic = Diagnostic.objects.create(
                person=candidacy.person,
                candidacy=candidacy,
                site=site,
                author=by,
                author_organisation=by.organisation,
                author_kind=kind,
                status=status,
                made_at=now,
                valid_until=today + relativedelta(months=validity_months()),
                registered_with_france_travail=registered_with_france_travail,
                notes=notes.strip(),
            )
            for code, sniffed_uploads in checked.items():
                criterion = catalogue[code]
                found = derived.get(code)
                item = DiagnosticCriterion.objects.create(
                    diagnostic=diagnostic,
                    criterion=criterion,
                    derived=found is not None,
                    derived_value=found.value if found else "",
                    declarative=bool(found and found.declarative),
                    proof_required=not (found is not None and found.stands_as_proof),
                )
                for upload, proof_kind in sniffed_uploads:
                    proof = Proof(
                        diagnostic_criterion=item,
                        original_name=upload.name[:200],
                        content_type=proof_kind.content_type,
                        size=len(upload.content),
                        sha256=hashlib.sha256(upload.content).hexdigest(),
                        issued_on=upload.issued_on,
                        valid_until=_proof_valid_until(
                            upload.issued_on, criterion.proof_validity_days
                        ),
                        uploaded_by=by,
                        uploaded_at=now,
                    )
                    proof.file.save(
                        f"proof.{proof_kind.extension}", ContentFile(upload.content), save=False
                    )
                    written.append(str(proof.file.name))
                    proof.save()
            audit(
                actor=by,
                action="diagnostic.create",
                obj=diagnostic,
                person=candidacy.person_id,
                candidacy=candidacy.pk,
                criteria=",".join(checked),
                status=status,
            )
    except BaseException as error:
        # The rows are rolled back; the files written so far must go too.
        for name in written:
            default_storage.delete(name)
        if isinstance(error, OSError):  # disk full, say: the user gets a message, not a 500
            raise DiagnosticError(storage_error_message(error)) from error
        raise
    return diagnostic


def notify_author(diagnostic: Diagnostic, log: TransitionLog) -> None:
    author = diagnostic.author
    if not author.email or not author.notify_candidacy_updates:
        return
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "name": diagnostic.person.full_name,
            "state": diagnostic_workflow.state_labels[log.to_state],
        }
        lines = [
            _("Bonjour,"),
            "",
            _("Le diagnostic d'éligibilité de %(name)s est maintenant : %(state)s.") % values,
        ]
        if log.reason:
            reason = diagnostic_workflow.reason_labels[log.transition][log.reason]
            lines.append(_("Motif : %(reason)s") % {"reason": reason})
        if log.comment:
            lines.append(log.comment)
        url = settings.SITE_URL + reverse("diagnostic_detail", args=[diagnostic.pk])
        lines += ["", _("Détail : %(url)s") % {"url": url}]
        subject = _("Diagnostic de %(name)s : %(state)s") % values
    send_mail(subject, "\n".join(lines) + "\n", None, [author.email])


def diagnostic_decide(
    *, diagnostic: Diagnostic, transition: str, by: Any, reason: str = "", comment: str = ""
) -> TransitionLog:
    """The site's coordinator confirms or rejects (with a reason) a diagnostic to confirm."""
    if transition not in diagnostic_workflow.transitions:
        raise DiagnosticError(_("Cette action n'est pas possible ici."))
    if not perms.can_decide_diagnostic(by, diagnostic):
        raise DiagnosticError(
            _("Seul un coordinateur du site peut confirmer ou refuser ce diagnostic.")
        )
    with transaction.atomic():
        now = timezone.now()
        extra: dict[str, Any] = {"decided_by": by, "decided_at": now}
        if transition == "reject":
            extra["rejection_reason"] = reason
        log = diagnostic_workflow.apply(
            diagnostic, transition, by=by, reason=reason, comment=comment, extra_fields=extra
        )
        audit(actor=by, action=f"diagnostic.{transition}", obj=diagnostic, reason=reason)
        transaction.on_commit(lambda: notify_author(diagnostic, log))
    return log


def acceptance_record(
    *, candidacy: Candidacy, by: Any, check: EligibilityCheck, override_reason: str = ""
) -> Acceptance:
    """Record, in the caller's transaction, what a candidacy's acceptance rests on.

    A diagnostic that meets the rule, if there is one; otherwise the coordinator's written
    override (at least ten characters), or ``DiagnosticError`` saying what is missing.
    """
    override_reason = " ".join(override_reason.split())
    if check.eligible:
        acceptance = Acceptance.objects.create(
            candidacy=candidacy,
            diagnostic=check.diagnostic,
            decided_by=by,
            decided_at=timezone.now(),
        )
        audit(
            actor=by,
            action="candidacy.accept.eligible",
            obj=candidacy,
            diagnostic=check.diagnostic.pk if check.diagnostic else "",
        )
        return acceptance
    if not override_reason:
        raise DiagnosticError(
            _(
                "Impossible d'accepter sans diagnostic d'éligibilité valable : %(reasons)s "
                "Faites établir un diagnostic, ou acceptez par dérogation en écrivant son motif."
            )
            % {"reasons": " ".join(check.reasons)},
            field="override_reason",
        )
    if len(override_reason) < MIN_OVERRIDE_LENGTH:
        raise DiagnosticError(
            _("Motivez la dérogation en %(count)s caractères au moins.")
            % {"count": MIN_OVERRIDE_LENGTH},
            field="override_reason",
        )
    if not perms.can_override(by, candidacy):
        raise DiagnosticError(_("Seul un coordinateur du site peut accepter par dérogation."))
    acceptance = Acceptance.objects.create(
        candidacy=candidacy,
        override_reason=override_reason,
        decided_by=by,
        decided_at=timezone.now(),
    )
    audit(
        actor=by,
        action="candidacy.accept.override",
        obj=candidacy,
        override_reason=override_reason,
        missing=" ".join(check.reasons),
    )
    return acceptance
