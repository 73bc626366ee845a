"""Writes for assessments: a learner's entry positioning and practical evaluations."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.cohorts.models import Enrolment
from tremplin.cohorts.services import CohortError, competencies_of, competency_assess
from tremplin.core.audit import audit
from tremplin.core.storage import storage_error_message
from tremplin.core.uploads import UploadRejected
from tremplin.programmes.enums import CompetencyLevel
from tremplin.programmes.models import Competency

from .enums import PositioningDecision, PositioningMethod
from .models import EntryPositioning, EvaluationCriterion, PracticalEvaluation
from .photos import check_photo


class AssessmentError(Exception):
    """A refused assessment; ``message`` says why, for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def positioning_record(
    *,
    enrolment: Enrolment,
    method: str,
    held_on: datetime.date,
    score: int | None,
    result: str,
    decision: str,
    decision_note: str,
    by: Any,
) -> EntryPositioning:
    """The entry positioning of ``enrolment`` (one per enrolment), with its author."""
    if method not in PositioningMethod.values:
        raise AssessmentError(_("Modalité de positionnement inconnue."))
    if decision not in PositioningDecision.values:
        raise AssessmentError(_("Décision inconnue."))
    if held_on > timezone.localdate():
        raise AssessmentError(_("La date du positionnement ne peut pas être dans le futur."))
    if enrolment.ended_on and held_on > enrolment.ended_on:
        raise AssessmentError(
            _("Le positionnement ne peut être postérieur à la sortie de formation.")
        )
    if score is not None and not 0 <= score <= 100:
        raise AssessmentError(_("Le score est compris entre 0 et 100."))
    if not result.strip():
        raise AssessmentError(_("Indiquez le résultat du positionnement."))
    if decision != PositioningDecision.STANDARD and not decision_note.strip():
        raise AssessmentError(
            _("Précisez la décision : en quoi le parcours est adapté, quel module, etc.")
        )
    with transaction.atomic():
        locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if EntryPositioning.objects.filter(enrolment=locked).exists():
            raise AssessmentError(
                _("Le positionnement à l'entrée de cet apprenant est déjà enregistré.")
            )
        positioning = EntryPositioning.objects.create(
            enrolment=locked,
            method=method,
            held_on=held_on,
            score=score,
            result=result.strip(),
            decision=decision,
            decision_note=decision_note.strip(),
            recorded_by=by,
        )
        audit(actor=by, action="positioning.record", obj=positioning, decision=decision)
    return positioning


def evaluation_record(
    *,
    enrolment: Enrolment,
    competency: Competency,
    title: str,
    held_on: datetime.date,
    criteria: Sequence[tuple[str, bool]],
    passed: bool,
    evidence: str,
    by: Any,
    photo: tuple[str, bytes] | None = None,
) -> PracticalEvaluation:
    """A practical evaluation; a passed one makes the competency « acquise » for the learner.

    ``photo`` (the sent file's name and bytes) is optional evidence: JPEG or PNG, checked by
    ``photos.check_photo``; a refused photo refuses the whole evaluation, nothing written.
    """
    if not competencies_of(enrolment).filter(pk=competency.pk).exists():
        raise AssessmentError(_("Cette compétence n'appartient pas au parcours de la promotion."))
    if held_on > timezone.localdate():
        raise AssessmentError(_("La date de l'évaluation ne peut pas être dans le futur."))
    if enrolment.ended_on and held_on > enrolment.ended_on:
        raise AssessmentError(_("L'évaluation ne peut être postérieure à la sortie de formation."))
    if not title.strip():
        raise AssessmentError(_("Donnez un intitulé à l'évaluation."))
    labels = [label.strip() for label, _met in criteria]
    if not labels or not all(labels):
        raise AssessmentError(_("Indiquez au moins un critère, chacun avec son intitulé."))
    if len(set(labels)) != len(labels):
        raise AssessmentError(_("Un même critère figure deux fois."))
    if passed and not all(met for _label, met in criteria):
        raise AssessmentError(
            _("Une évaluation réussie a tous ses critères atteints : sinon, « pas encore ».")
        )
    if passed and not evidence.strip():
        raise AssessmentError(_("Décrivez la preuve ou l'observation qui atteste la réussite."))
    photo_kind = None
    if photo is not None:
        try:
            photo_kind = check_photo(*photo)
        except UploadRejected as error:
            raise AssessmentError(error.message) from None
    written: list[str] = []
    try:
        with transaction.atomic():
            evaluation = _evaluation_write(
                enrolment=enrolment,
                competency=competency,
                title=title,
                held_on=held_on,
                labels=labels,
                criteria=criteria,
                passed=passed,
                evidence=evidence,
                by=by,
                photo=(photo[1], photo_kind.extension) if photo and photo_kind else None,
                written=written,
            )
    except BaseException as error:
        # The rows are rolled back; the photo written so far must go too.
        for name in written:
            default_storage.delete(name)
        if isinstance(error, OSError):  # disk full, say: the user gets a message, not a 500
            raise AssessmentError(storage_error_message(error)) from error
        raise
    return evaluation


def _evaluation_write(
    *,
    enrolment: Enrolment,
    competency: Competency,
    title: str,
    held_on: datetime.date,
    labels: list[str],
    criteria: Sequence[tuple[str, bool]],
    passed: bool,
    evidence: str,
    by: Any,
    photo: tuple[bytes, str] | None,
    written: list[str],
) -> PracticalEvaluation:
    """The rows of ``evaluation_record``, inside its transaction; ``written`` gets the files."""
    evaluation = PracticalEvaluation(
        enrolment=enrolment,
        competency=competency,
        title=title.strip(),
        held_on=held_on,
        passed=passed,
        evidence=evidence.strip(),
        assessed_by=by,
    )
    if photo is not None:
        content, extension = photo
        evaluation.photo.save(f"photo.{extension}", ContentFile(content), save=False)
        written.append(str(evaluation.photo.name))
    evaluation.save()
    EvaluationCriterion.objects.bulk_create(
        EvaluationCriterion(evaluation=evaluation, position=i, label=label, met=met)
        for i, (label, (_label, met)) in enumerate(zip(labels, criteria, strict=True))
    )
    audit(
        actor=by,
        action="evaluation.record",
        obj=evaluation,
        passed=passed,
        photo=bool(photo),
    )
    if passed:
        try:
            competency_assess(
                enrolment=enrolment,
                competency=competency,
                level=CompetencyLevel.ACQUIRED,
                evidence=evaluation.evidence,
                on_date=held_on,
                by=by,
            )
        except CohortError as error:
            raise AssessmentError(error.message) from error
    return evaluation
