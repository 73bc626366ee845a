"""Writes on cohorts: creation, funding, enrolment under capacity, end of training,
assessments, the certification jury's results."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tremplin.candidacies.enums import CandidacyStatus
from tremplin.candidacies.models import Candidacy
from tremplin.candidacies.services import notify_prescriber
from tremplin.candidacies.workflow import candidacy_workflow
from tremplin.core.audit import audit
from tremplin.core.models import TransitionLog
from tremplin.organisations.enums import OrganisationKind
from tremplin.organisations.models import Organisation, Site
from tremplin.programmes.enums import CompetencyLevel
from tremplin.programmes.models import Certification, Competency, CompetencyBlock, Programme

from .enums import EnrolmentStatus
from .models import Cohort, CohortFunding, CompetencyAssessment, Enrolment, JuryResult
from .workflow import enrolment_workflow


class CohortError(Exception):
    """A refused write; ``message`` is translated into the active language, for the page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CohortFull(CohortError):
    pass


def default_end_date(programme: Programme, start: datetime.date) -> datetime.date:
    return start + relativedelta(months=programme.duration_months)


def cohort_create(
    *,
    by: Any,
    programme: Programme,
    site: Site,
    name: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    capacity: int = 12,
    trainers: list[Any] | None = None,
) -> Cohort:
    if programme.network_id != site.network_id:
        # The form offers only the network's programmes; a forged id stops here too.
        raise CohortError(_("Ce programme n'appartient pas au réseau de ce site."))
    end_date = end_date or default_end_date(programme, start_date)
    if end_date <= start_date:
        raise CohortError(_("La date de fin doit suivre la date de début."))
    if Cohort.objects.filter(site=site, name=name).exists():
        raise CohortError(_("Une promotion de ce nom existe déjà sur ce site."))
    with transaction.atomic():
        cohort = Cohort.objects.create(
            programme=programme,
            site=site,
            name=name,
            start_date=start_date,
            end_date=end_date,
            capacity=capacity,
        )
        if trainers:
            cohort.trainers.set(trainers)
        audit(actor=by, action="cohort.create", obj=cohort)
    return cohort


def cohort_funding_set(
    *, by: Any, cohort: Cohort, funder: Organisation, amount: Decimal, reference: str = ""
) -> CohortFunding:
    """Record (or correct) one funder's share of a cohort's budget; a funder funds a cohort
    once, so a second entry for the same funder replaces the first, audited."""
    if funder.kind != OrganisationKind.FUNDER:
        raise CohortError(_("Cette organisation n'est pas un financeur."))
    if amount < 0:
        raise CohortError(_("Le montant d'un financement ne peut être négatif."))
    with transaction.atomic():
        funding, created = CohortFunding.objects.select_for_update().update_or_create(
            cohort=cohort, funder=funder, defaults={"amount": amount, "reference": reference}
        )
        audit(
            actor=by,
            action="cohort.funding_add" if created else "cohort.funding_change",
            obj=funding,
            cohort=cohort.pk,
            amount=str(amount),
        )
    return funding


def cohort_funding_remove(*, by: Any, funding: CohortFunding) -> None:
    with transaction.atomic():
        audit(
            actor=by,
            action="cohort.funding_remove",
            obj=funding.cohort,
            funder=funding.funder_id,
            amount=str(funding.amount),
        )
        funding.delete()


@dataclass(frozen=True)
class JuryEntry:
    """One learner's line of a jury's minutes: the certification sat (None: no result, any
    earlier one is withdrawn) and the blocks validated."""

    enrolment: Enrolment
    certification: Certification | None
    blocks: frozenset[CompetencyBlock]


def jury_record(
    *, by: Any, cohort: Cohort, decided_on: datetime.date, entries: list[JuryEntry]
) -> list[JuryResult]:
    """Record a certification jury's decisions for a cohort, all or nothing: every entry is
    checked (the learner is of the cohort, the certification is one of its programme's, the
    blocks are the certification's) before anything is written."""
    if decided_on > timezone.localdate():
        raise CohortError(_("La date du jury ne peut être dans le futur."))
    if decided_on < cohort.start_date:
        raise CohortError(_("La date du jury précède le début de la promotion."))
    allowed = set(
        Certification.objects.filter(tracks__programme=cohort.programme).values_list(
            "pk", flat=True
        )
    )
    for entry in entries:
        if entry.enrolment.cohort_id != cohort.pk:
            raise CohortError(_("Un des apprenants n'est pas de cette promotion."))
        if entry.certification is None:
            if entry.blocks:
                raise CohortError(
                    _("%(person)s : choisir la certification des blocs validés.")
                    % {"person": entry.enrolment.person}
                )
            continue
        if entry.certification.pk not in allowed:
            raise CohortError(_("Cette certification n'est pas celle du parcours."))
        if any(block.certification_id != entry.certification.pk for block in entry.blocks):
            raise CohortError(
                _("%(person)s : un bloc validé n'appartient pas à la certification choisie.")
                % {"person": entry.enrolment.person}
            )
    results: list[JuryResult] = []
    with transaction.atomic():
        for entry in entries:
            if entry.certification is None:
                removed, _count = JuryResult.objects.filter(enrolment=entry.enrolment).delete()
                if removed:
                    audit(actor=by, action="jury.remove", obj=entry.enrolment)
                continue
            every_block = set(entry.certification.blocks.values_list("pk", flat=True))
            validated = {block.pk for block in entry.blocks}
            result, created = JuryResult.objects.update_or_create(
                enrolment=entry.enrolment,
                defaults={
                    "certification": entry.certification,
                    "decided_on": decided_on,
                    "certified": bool(every_block) and validated == every_block,
                    "recorded_by": by,
                },
            )
            result.validated_blocks.set(entry.blocks)
            audit(
                actor=by,
                action="jury.record" if created else "jury.correct",
                obj=result,
                blocks=sorted(validated),
                certified=result.certified,
            )
            results.append(result)
    return results


def enrol(*, candidacy: Candidacy, by: Any) -> Enrolment:
    """Enrol an accepted candidate; capacity holds even under concurrent enrolments."""
    with transaction.atomic():
        # Lock the cohort row: every enrolment into it queues here, so the count below
        # cannot be read by two transactions at once (PostgreSQL row lock; SQLite takes
        # the database write lock at BEGIN IMMEDIATE).
        cohort = Cohort.objects.select_for_update().get(pk=candidacy.cohort_id)
        current = Candidacy.objects.select_for_update().get(pk=candidacy.pk)
        if current.status != CandidacyStatus.ACCEPTED:
            raise CohortError(_("Seule une candidature acceptée peut être inscrite."))
        if Enrolment.objects.filter(cohort=cohort).count() >= cohort.capacity:
            raise CohortFull(
                ngettext(
                    "La promotion « %(name)s » est complète (%(count)d place).",
                    "La promotion « %(name)s » est complète (%(count)d places).",
                    cohort.capacity,
                )
                % {"name": cohort.name, "count": cohort.capacity}
            )
        enrolment = Enrolment.objects.create(cohort=cohort, candidacy=current)
        log = candidacy_workflow.apply(candidacy, "enrol", by=by)
        audit(actor=by, action="enrolment.create", obj=enrolment, cohort=cohort.pk)
        transaction.on_commit(lambda: notify_prescriber(candidacy, log))
    return enrolment


def enrolment_end(
    *,
    enrolment: Enrolment,
    outcome: str,
    by: Any,
    on_date: datetime.date,
    reason: str = "",
    comment: str = "",
) -> TransitionLog:
    if outcome not in enrolment_workflow.transitions:
        raise CohortError(_("Issue de parcours inconnue."))
    reason = enrolment_workflow.check_reason(outcome, reason)
    if on_date < enrolment.cohort.start_date:
        raise CohortError(_("La date de sortie ne peut précéder le début de la promotion."))
    if on_date > timezone.localdate():
        raise CohortError(_("La date de sortie ne peut être dans le futur."))
    with transaction.atomic():
        log = enrolment_workflow.apply(
            enrolment,
            outcome,
            by=by,
            reason=reason,
            comment=comment,
            extra_fields={"ended_on": on_date, "end_reason": reason},
        )
        audit(actor=by, action=f"enrolment.{outcome}", obj=enrolment, reason=reason)
    return log


def competencies_of(enrolment: Enrolment) -> Any:
    return (
        Competency.objects.filter(
            block__certification__tracks__programme_id=enrolment.cohort.programme_id
        )
        .select_related("block__certification")
        .distinct()
    )


def competency_assess(
    *,
    enrolment: Enrolment,
    competency: Competency,
    level: str,
    evidence: str,
    on_date: datetime.date,
    by: Any,
) -> CompetencyAssessment:
    if level not in CompetencyLevel.values:
        raise CohortError(_("Niveau inconnu."))
    if not competencies_of(enrolment).filter(pk=competency.pk).exists():
        raise CohortError(_("Cette compétence n'appartient pas au parcours de la promotion."))
    if enrolment.status != EnrolmentStatus.IN_TRAINING and on_date > (
        enrolment.ended_on or on_date
    ):
        raise CohortError(_("L'évaluation ne peut être postérieure à la sortie de formation."))
    if level == CompetencyLevel.ACQUIRED and not evidence.strip():
        raise CohortError(_("Décrivez la preuve ou l'observation qui atteste l'acquisition."))
    with transaction.atomic():
        assessment, created = CompetencyAssessment.objects.select_for_update().get_or_create(
            enrolment=enrolment,
            competency=competency,
            defaults={
                "level": level,
                "evidence": evidence,
                "assessed_on": on_date,
                "assessed_by": by,
            },
        )
        if not created:
            assessment.level = level
            assessment.evidence = evidence
            assessment.assessed_on = on_date
            assessment.assessed_by = by
            assessment.save(update_fields=["level", "evidence", "assessed_on", "assessed_by"])
        audit(actor=by, action="competency.assess", obj=assessment, level=level)
    return assessment
