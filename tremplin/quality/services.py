"""Writes on satisfaction surveys: sending invitations, answering through a signed link.

The link carries ``django.core.signing`` data (invitation id and kind, salted for this use,
timestamped). We sign rather than store a random token because the link then needs no secret
in the database (a leaked database dump yields no usable links), tampering is detected by the
signature, and expiry comes from the signed timestamp (``max_age``). A link cannot be revoked
one by one, but nothing is worth revoking: it only answers once (``answered_at``, checked under
a row lock) and never shows anything about the learner.
"""

from __future__ import annotations

import datetime
from functools import partial
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.accounts.enums import Role
from tremplin.cohorts.enums import EnrolmentStatus
from tremplin.cohorts.models import Cohort
from tremplin.core.audit import audit
from tremplin.core.models import TransitionLog
from tremplin.organisations.models import Site

from .enums import SurveyKind
from .models import Complaint, ImprovementAction, SurveyAnswer, SurveyInvitation
from .questionnaires import CURRENT_VERSION, questionnaire
from .workflow import STEP_FIELDS, action_workflow, complaint_workflow

TOKEN_SALT = "tremplin.quality.survey-link"
# Long enough to answer the « à froid » survey after a holiday; short enough that an old
# email found months later no longer opens a form.
LINK_MAX_AGE = datetime.timedelta(days=45)
TEXT_MAX_LENGTH = 2000
# How long after halfway the daily sending still sends the « à mi-parcours » survey.
MID_SEND_WINDOW = datetime.timedelta(days=21)
# Learners who dropped out or were excluded are not surveyed on a course they did not finish.
SURVEYED_STATUSES = (EnrolmentStatus.IN_TRAINING, EnrolmentStatus.COMPLETED)


class QualityError(Exception):
    """A refused write or link; ``message`` is translated into the active language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SurveyError(QualityError):
    pass


class ComplaintError(QualityError):
    pass


class SurveyLinkRefused(SurveyError):
    """A link that opens nothing: ``status`` 400 when it is not ours, 410 when used up."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def survey_due_date(cohort: Cohort, kind: str) -> datetime.date:
    if kind == SurveyKind.MID:
        # Halfway: late enough to have something to judge, early enough to change it.
        return cohort.start_date + (cohort.end_date - cohort.start_date) / 2
    if kind == SurveyKind.HOT:
        return cohort.end_date
    return cohort.end_date + relativedelta(months=3)


def survey_token(invitation: SurveyInvitation) -> str:
    return signing.dumps({"i": invitation.pk, "k": invitation.kind}, salt=TOKEN_SALT)


def survey_url(invitation: SurveyInvitation) -> str:
    return settings.SITE_URL + reverse("survey_answer", args=[survey_token(invitation)])


def invitation_from_token(token: str) -> SurveyInvitation:
    """The open invitation the link names, or ``SurveyLinkRefused`` saying why."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise SurveyLinkRefused(
            _("Ce lien a expiré. Demandez un nouveau lien à votre coordinateur ou coordinatrice."),
            status=410,
        ) from None
    except signing.BadSignature:
        raise SurveyLinkRefused(
            _("Ce lien n'est pas valide. Vérifiez qu'il a été copié en entier.")
        ) from None
    invitation = (
        SurveyInvitation.objects.select_related("enrolment__cohort__programme")
        .filter(pk=data.get("i"), kind=data.get("k"))
        .first()
    )
    if invitation is None:
        raise SurveyLinkRefused(
            _("Ce lien n'est pas valide. Vérifiez qu'il a été copié en entier.")
        )
    if invitation.answered_at is not None:
        raise SurveyLinkRefused(_("Vous avez déjà répondu à cette enquête. Merci !"), status=410)
    return invitation


def send_invitation_email(invitation_id: int) -> None:
    invitation = SurveyInvitation.objects.select_related(
        "enrolment__candidacy__person", "enrolment__cohort__programme"
    ).get(pk=invitation_id)
    person = invitation.enrolment.candidacy.person
    cohort = invitation.enrolment.cohort
    subject = _("Votre avis sur la formation %(programme)s") % {"programme": cohort.programme.name}
    if invitation.kind == SurveyKind.MID:
        body = _(
            "Bonjour %(first_name)s,\n\n"
            "Vous êtes à mi-parcours de la formation %(programme)s (%(cohort)s). Votre avis "
            "nous aide à l'ajuster d'ici la fin : l'enquête prend cinq minutes, sans créer de "
            "compte.\n\n"
            "%(url)s\n\n"
            "Ce lien est personnel et valable %(days)s jours. "
            "Vos réponses sont lues sans votre nom.\n"
        )
    else:
        body = _(
            "Bonjour %(first_name)s,\n\n"
            "Vous avez suivi la formation %(programme)s (%(cohort)s). Votre avis nous aide à "
            "l'améliorer : l'enquête prend cinq minutes, sans créer de compte.\n\n"
            "%(url)s\n\n"
            "Ce lien est personnel et valable %(days)s jours. "
            "Vos réponses sont lues sans votre nom.\n"
        )
    body = body % {
        "first_name": person.first_name,
        "programme": cohort.programme.name,
        "cohort": cohort.name,
        "url": survey_url(invitation),
        "days": LINK_MAX_AGE.days,
    }
    send_mail(subject, body, None, [person.email])


def survey_send(
    *,
    cohort: Cohort,
    kind: str,
    by: Any,
    today: datetime.date | None = None,
    deliver: bool = True,
) -> list[SurveyInvitation]:
    """Invite every surveyed learner of the cohort not yet invited to ``kind``; idempotent.

    Returns the new invitations (empty when everyone was already invited). With ``deliver``
    the emails leave once the invitations are committed; without, the caller delivers them
    (the page hands them to ``tasks.deliver_survey_invitations``, with a progress bar).
    """
    if kind not in SurveyKind.values:
        raise SurveyError(_("Choisissez l'enquête à envoyer."))
    today = today or timezone.localdate()
    due = survey_due_date(cohort, kind)
    if today < due:
        raise SurveyError(
            _("L'enquête « %(kind)s » s'envoie à partir du %(date)s.")
            % {"kind": SurveyKind(kind).label, "date": due.strftime("%d/%m/%Y")}
        )
    with transaction.atomic():
        # Lock the cohort: two sends (the button and the daily command) queue here, so the
        # unique constraint is never what stops the second one.
        Cohort.objects.select_for_update().get(pk=cohort.pk)
        enrolments = (
            cohort.enrolments.filter(status__in=SURVEYED_STATUSES)
            .exclude(candidacy__person__email="")
            .exclude(survey_invitations__kind=kind)
            .order_by("id")
        )
        now = timezone.now()
        sender = by if getattr(by, "pk", None) else None
        invitations = SurveyInvitation.objects.bulk_create(
            [
                SurveyInvitation(
                    enrolment=e,
                    kind=kind,
                    questionnaire=CURRENT_VERSION,
                    sent_at=now,
                    sent_by=sender,
                )
                for e in enrolments
            ]
        )
        if invitations:
            audit(actor=by, action="survey.send", obj=cohort, kind=kind, count=len(invitations))
            # bulk_create sends no signal: the indicators' facts follow here.
            from tremplin.reports.facts import refresh_learner_facts

            refresh_learner_facts(enrolments=[i.enrolment_id for i in invitations])
        for invitation in invitations if deliver else []:
            transaction.on_commit(partial(send_invitation_email, invitation.pk))
    return invitations


def send_due_surveys(*, today: datetime.date | None = None) -> int:
    """Send every invitation due on ``today`` or before and not yet sent; returns how many."""
    today = today or timezone.localdate()
    sent = 0
    for kind in SurveyKind.values:
        if kind == SurveyKind.MID:
            # Only in the weeks after halfway: later, the « à chaud » one is close and a
            # second survey would only tire people (the coordinator may still send it).
            running = Cohort.objects.filter(start_date__lte=today, end_date__gt=today)
            due = [
                c
                for c in running.order_by("id")
                if survey_due_date(c, kind) <= today < survey_due_date(c, kind) + MID_SEND_WINDOW
            ]
        elif kind == SurveyKind.HOT:
            due = list(Cohort.objects.filter(end_date__lte=today).order_by("id"))
        else:
            cutoff = today - relativedelta(months=3)
            due = list(Cohort.objects.filter(end_date__lte=cutoff).order_by("id"))
        for cohort in due:
            sent += len(survey_send(cohort=cohort, kind=kind, by=None, today=today))
    return sent


def survey_answer(*, token: str, answers: dict[str, Any]) -> SurveyInvitation:
    """Record the answers given through the link ``token``; a link answers once."""
    invitation = invitation_from_token(token)
    questions = questionnaire(invitation.kind, invitation.questionnaire)
    rows = []
    for q in questions:
        value = answers.get(q.code)
        if q.is_scale:
            if value not in (1, 2, 3, 4, 5):
                raise SurveyError(
                    _("Répondez à chaque question par une note de 1 à 5 : « %(question)s »")
                    % {"question": q.text}
                )
            rows.append(SurveyAnswer(invitation=invitation, question=q.code, score=value))
        else:
            text = str(value or "").strip()
            if len(text) > TEXT_MAX_LENGTH:
                raise SurveyError(
                    _("Votre réponse libre dépasse %(max)s caractères.") % {"max": TEXT_MAX_LENGTH}
                )
            if text:
                rows.append(SurveyAnswer(invitation=invitation, question=q.code, text=text))
    with transaction.atomic():
        locked = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.answered_at is not None:  # the same link submitted twice at once
            raise SurveyLinkRefused(
                _("Vous avez déjà répondu à cette enquête. Merci !"), status=410
            )
        SurveyAnswer.objects.bulk_create(rows)
        locked.answered_at = timezone.now()
        locked.save(update_fields=["answered_at"])
        # No actor: the learner answers without an account, and the entry must not tie the
        # answers to a person beyond the invitation id.
        audit(actor=None, action="survey.answer", obj=locked)
    return locked


def complaint_create(
    *,
    by: Any,
    site: Site,
    received_on: datetime.date,
    channel: str,
    complainant_kind: str,
    complainant: str,
    subject: str,
    description: str,
    cohort: Cohort | None = None,
) -> Complaint:
    if received_on > timezone.localdate():
        raise ComplaintError(_("La date de réception ne peut pas être dans le futur."))
    if cohort is not None and cohort.site_id != site.pk:
        raise ComplaintError(_("La promotion choisie n'est pas de ce site."))
    if not subject.strip() or not description.strip():
        raise ComplaintError(_("L'objet et la description sont obligatoires."))
    with transaction.atomic():
        complaint = Complaint.objects.create(
            site=site,
            cohort=cohort,
            received_on=received_on,
            channel=channel,
            complainant_kind=complainant_kind,
            complainant=complainant.strip(),
            subject=subject.strip(),
            description=description.strip(),
            created_by=by,
        )
        audit(actor=by, action="complaint.create", obj=complaint)
    return complaint


def complaint_transition(
    *, complaint: Complaint, transition: str, by: Any, text: str = "", comment: str = ""
) -> TransitionLog:
    """Move the complaint one step; the step's date is today and its text is required."""
    if transition not in STEP_FIELDS:
        raise ComplaintError(_("Étape inconnue."))
    date_field, text_field = STEP_FIELDS[transition]
    text = text.strip()
    extra: dict[str, Any] = {date_field: timezone.localdate()}
    if text_field is not None:
        if not text:
            raise ComplaintError(_("Décrivez cette étape (analyse, réponse ou action menée)."))
        extra[text_field] = text
    with transaction.atomic():
        log = complaint_workflow.apply(
            complaint, transition, by=by, comment=(comment or text)[:500], extra_fields=extra
        )
        audit(actor=by, action=f"complaint.{transition}", obj=complaint)
    return log


class ActionError(QualityError):
    pass


def _is_site_staff(user: Any, site: Site) -> bool:
    if user.role == Role.NETWORK_ADMIN:
        return bool(user.organisation_id == site.network_id)
    return user.role in (Role.COORDINATOR, Role.TRAINER) and user.site_id == site.pk


def action_create(
    *,
    by: Any,
    description: str,
    owner: Any,
    due_on: datetime.date,
    complaint: Complaint | None = None,
    cohort: Cohort | None = None,
    survey_kind: str = "",
) -> ImprovementAction:
    """An improvement action caused by ``complaint``, or by ``cohort``'s ``survey_kind`` survey."""
    if (complaint is None) == (cohort is None) or (cohort is not None) != bool(survey_kind):
        raise ActionError(_("Une action naît d'une réclamation ou d'une enquête, d'une seule."))
    if survey_kind and survey_kind not in SurveyKind.values:
        raise ActionError(_("Choisissez l'enquête à l'origine de l'action."))
    site = complaint.site if complaint is not None else cohort.site  # type: ignore[union-attr]
    if not description.strip():
        raise ActionError(_("Décrivez l'action."))
    if due_on < timezone.localdate():
        raise ActionError(_("L'échéance ne peut pas être déjà passée."))
    if not _is_site_staff(owner, site):
        raise ActionError(_("La personne responsable doit faire partie de l'équipe du site."))
    with transaction.atomic():
        action = ImprovementAction.objects.create(
            site=site,
            complaint=complaint,
            cohort=cohort,
            survey_kind=survey_kind,
            description=description.strip(),
            owner=owner,
            due_on=due_on,
            created_by=by,
        )
        audit(actor=by, action="improvement_action.create", obj=action)
    return action


def action_transition(
    *, action: ImprovementAction, transition: str, by: Any, outcome: str = "", comment: str = ""
) -> TransitionLog:
    outcome = outcome.strip()
    extra: dict[str, Any] = {}
    if transition == "finish":
        if not outcome:
            raise ActionError(_("Décrivez le résultat de l'action."))
        extra = {"outcome": outcome, "done_on": timezone.localdate()}
    with transaction.atomic():
        log = action_workflow.apply(
            action, transition, by=by, comment=(comment or outcome)[:500], extra_fields=extra
        )
        audit(actor=by, action=f"improvement_action.{transition}", obj=action)
    return log
