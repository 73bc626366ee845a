"""Follow-ups after training: requests emailed to former learners, their answers through a
signed link, reminders to staff, and answers recorded by staff.

Every answer adds a ``FollowUp`` row (history kept, nothing overwritten); the current one is
defined in ``models``. The link is signed like the satisfaction survey's (see
``tremplin.quality.services``): no secret stored, tampering detected by the signature, expiry
from the signed timestamp, single use through ``FollowUpRequest.answered_at`` checked under a
row lock.

Who is followed: learners who completed the course or dropped out (both are exits that the
indicators and funders count). Excluded learners are not emailed: an exclusion follows a
serious breach and an unprompted message is out of place; staff may still record their
situation. Nobody without an email address gets a request: the coordinator's list shows
their due follow-ups.
"""

import datetime
from functools import partial
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.accounts.enums import Role
from tremplin.accounts.models import User
from tremplin.cohorts.enums import EnrolmentStatus
from tremplin.cohorts.models import Enrolment
from tremplin.core.audit import audit

from .enums import (
    EMPLOYED_SITUATIONS,
    MILESTONE_MONTHS,
    WEEKLY_HOURS_MAX,
    WEEKLY_HOURS_MIN,
    FollowUpSource,
    Milestone,
    Situation,
    WageBand,
)
from .models import FollowUp, FollowUpRequest

TOKEN_SALT = "tremplin.outcomes.follow-up-link"
# A month to answer: long enough for someone starting a new job, short enough that the
# answer still describes the milestone.
LINK_MAX_AGE = datetime.timedelta(days=30)
# Staff are asked to call when the learner has not answered within this delay.
REMINDER_AFTER = datetime.timedelta(days=10)
# A milestone's request goes out from its due date and for this long after; later (the daily
# command was not running, or the feature arrived after the date) the answer would describe
# another time, and the coordinator's list still shows the follow-up as late.
SEND_WINDOW = relativedelta(months=2)
FOLLOWED_STATUSES = (EnrolmentStatus.COMPLETED, EnrolmentStatus.DROPPED_OUT)
EMPLOYER_MAX_LENGTH = 200


class FollowUpError(Exception):
    """A refused write; ``message`` is translated into the active language, for the page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class FollowUpLinkRefused(FollowUpError):
    """A link that opens nothing: ``status`` 400 when it is not ours, 410 when used up."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def milestone_due_date(enrolment: Enrolment, milestone: str) -> datetime.date | None:
    if enrolment.ended_on is None:
        return None
    return enrolment.ended_on + relativedelta(months=MILESTONE_MONTHS[Milestone(milestone)])


def _check_answer(
    *, situation: str, employer_name: str, weekly_hours: int | None, wage_band: str
) -> None:
    """Refuse an unknown or contradictory answer (the database refuses it too)."""
    if situation not in Situation.values:
        raise FollowUpError(_("Situation inconnue."))
    if wage_band and wage_band not in WageBand.values:
        raise FollowUpError(_("Tranche de salaire inconnue."))
    if len(employer_name) > EMPLOYER_MAX_LENGTH:
        raise FollowUpError(
            _("Le nom de l'employeur dépasse %(max)s caractères.") % {"max": EMPLOYER_MAX_LENGTH}
        )
    if weekly_hours is not None and not WEEKLY_HOURS_MIN <= weekly_hours <= WEEKLY_HOURS_MAX:
        raise FollowUpError(
            _("Le nombre d'heures par semaine doit être compris entre %(min)s et %(max)s.")
            % {"min": WEEKLY_HOURS_MIN, "max": WEEKLY_HOURS_MAX}
        )
    if situation in EMPLOYED_SITUATIONS:
        if not employer_name:
            raise FollowUpError(_("Indiquez l'employeur pour une situation d'emploi."))
    elif employer_name or weekly_hours is not None or wage_band:
        raise FollowUpError(
            _(
                "Employeur, heures et salaire ne se renseignent que pour un emploi : choisissez "
                "une situation d'emploi ou laissez-les vides."
            )
        )


def follow_up_record(
    *,
    enrolment: Enrolment,
    milestone: str,
    situation: str,
    recorded_on: datetime.date,
    by: Any,
    employer_name: str = "",
    weekly_hours: int | None = None,
    wage_band: str = "",
    note: str = "",
) -> FollowUp:
    """Staff record a situation: a new answer, the earlier ones stay."""
    if milestone not in Milestone.values or situation not in Situation.values:
        raise FollowUpError(_("Échéance ou situation inconnue."))
    if enrolment.status == EnrolmentStatus.IN_TRAINING:
        raise FollowUpError(_("Le suivi commence à la sortie de formation."))
    due = milestone_due_date(enrolment, milestone)
    # A follow-up may be taken up to a month early: advisors call ahead of the date.
    if due is not None and recorded_on < due - relativedelta(months=1):
        raise FollowUpError(
            _(
                "Ce suivi est prévu à partir du %(due)s : il ne peut être saisi avant le "
                "%(earliest)s."
            )
            % {
                "due": f"{due:%d/%m/%Y}",
                "earliest": f"{due - relativedelta(months=1):%d/%m/%Y}",
            }
        )
    employer_name = employer_name.strip()
    _check_answer(
        situation=situation,
        employer_name=employer_name,
        weekly_hours=weekly_hours,
        wage_band=wage_band,
    )
    with transaction.atomic():
        follow_up = FollowUp.objects.create(
            enrolment=enrolment,
            milestone=milestone,
            situation=situation,
            employer_name=employer_name,
            weekly_hours=weekly_hours,
            wage_band=wage_band,
            recorded_on=recorded_on,
            note=note,
            source=FollowUpSource.COORDINATOR,
            recorded_by=by,
        )
        audit(actor=by, action="follow_up.record", obj=follow_up, situation=situation)
    return follow_up


# --- requests emailed to former learners ----------------------------------------------------


def follow_up_token(request: FollowUpRequest) -> str:
    return signing.dumps({"r": request.pk, "m": request.milestone}, salt=TOKEN_SALT)


def follow_up_url(request: FollowUpRequest) -> str:
    return settings.SITE_URL + reverse("follow_up_answer", args=[follow_up_token(request)])


def _not_valid() -> FollowUpLinkRefused:
    return FollowUpLinkRefused(_("Ce lien n'est pas valide. Vérifiez qu'il a été copié en entier."))


def request_from_token(token: str) -> FollowUpRequest:
    """The open request the link names, or ``FollowUpLinkRefused`` saying why."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise FollowUpLinkRefused(
            _(
                "Ce lien a expiré. Votre coordinateur ou coordinatrice vous contactera pour "
                "faire le point."
            ),
            status=410,
        ) from None
    except signing.BadSignature:
        raise _not_valid() from None
    if not isinstance(data, dict) or not isinstance(data.get("r"), int):
        raise _not_valid()
    request = (
        FollowUpRequest.objects.select_related("enrolment__cohort__programme")
        .filter(pk=data["r"], milestone=data.get("m"))
        .first()
    )
    if request is None:
        raise _not_valid()
    if request.answered_at is not None:
        raise FollowUpLinkRefused(_("Vous avez déjà répondu. Merci !"), status=410)
    return request


def follow_up_answer(
    *,
    token: str,
    situation: str,
    employer_name: str = "",
    weekly_hours: int | None = None,
    wage_band: str = "",
) -> FollowUp:
    """Record the former learner's answer given through the link ``token``; a link answers
    once. Nothing is written when the link or the answer is refused."""
    request = request_from_token(token)
    employer_name = employer_name.strip()
    # « Situation inconnue » is staff's word for someone they could not reach.
    if situation == Situation.UNKNOWN:
        raise FollowUpError(_("Choisissez votre situation."))
    _check_answer(
        situation=situation,
        employer_name=employer_name,
        weekly_hours=weekly_hours,
        wage_band=wage_band,
    )
    with transaction.atomic():
        locked = FollowUpRequest.objects.select_for_update().get(pk=request.pk)
        if locked.answered_at is not None:  # the same link submitted twice at once
            raise FollowUpLinkRefused(_("Vous avez déjà répondu. Merci !"), status=410)
        now = timezone.now()
        follow_up = FollowUp.objects.create(
            enrolment_id=locked.enrolment_id,
            milestone=locked.milestone,
            situation=situation,
            employer_name=employer_name,
            weekly_hours=weekly_hours,
            wage_band=wage_band,
            recorded_on=timezone.localdate(),
            source=FollowUpSource.LEARNER,
            request=locked,
            answered_at=now,
        )
        locked.answered_at = now
        locked.save(update_fields=["answered_at"])
        audit(actor=None, action="follow_up.answer", obj=follow_up, situation=situation)
    return follow_up


def send_request_email(request_id: int) -> None:
    request = FollowUpRequest.objects.select_related(
        "enrolment__candidacy__person", "enrolment__cohort__programme"
    ).get(pk=request_id)
    person = request.enrolment.candidacy.person
    programme = request.enrolment.cohort.programme.name
    subject = _("Où en êtes-vous depuis la formation %(programme)s ?") % {"programme": programme}
    body = _(
        "Bonjour %(first_name)s,\n\n"
        "Vous avez suivi la formation %(programme)s. Pour savoir ce qu'elle vous a apporté, "
        "dites-nous où vous en êtes (%(milestone)s) : quatre questions, une minute, sans créer "
        "de compte.\n\n"
        "%(url)s\n\n"
        "Ce lien est personnel, ne sert qu'une fois et reste valable %(days)s jours.\n"
    ) % {
        "first_name": person.first_name,
        "programme": programme,
        "milestone": request.get_milestone_display().lower(),
        "url": follow_up_url(request),
        "days": LINK_MAX_AGE.days,
    }
    send_mail(subject, body, None, [request.sent_to])


def send_due_follow_up_requests(*, today: datetime.date | None = None) -> int:
    """Create and email every request due on ``today`` (within ``SEND_WINDOW``) and not yet
    made; idempotent. A milestone staff already recorded needs no request."""
    today = today or timezone.localdate()
    oldest_exit = today - relativedelta(months=MILESTONE_MONTHS[Milestone.M12]) - SEND_WINDOW
    enrolments = (
        Enrolment.objects.filter(
            status__in=FOLLOWED_STATUSES, ended_on__gte=oldest_exit, ended_on__lte=today
        )
        .exclude(candidacy__person__email="")
        .select_related("candidacy__person")
        .order_by("id")
    )
    sent = 0
    for enrolment in enrolments:
        due = {
            m.value: day
            for m in Milestone
            if (day := milestone_due_date(enrolment, m.value)) is not None
            and day <= today < day + SEND_WINDOW
        }
        if not due:
            continue
        with transaction.atomic():
            # Lock the enrolment: two runs at once queue here, and the second finds the first's
            # requests, so the unique constraint is never what stops it.
            Enrolment.objects.select_for_update().get(pk=enrolment.pk)
            taken = set(
                FollowUpRequest.objects.filter(enrolment=enrolment).values_list(
                    "milestone", flat=True
                )
            ) | set(
                FollowUp.objects.filter(enrolment=enrolment).values_list("milestone", flat=True)
            )
            for milestone, day in due.items():
                if milestone in taken:
                    continue
                request = FollowUpRequest.objects.create(
                    enrolment=enrolment,
                    milestone=milestone,
                    due_on=day,
                    sent_to=enrolment.candidacy.person.email,
                    sent_at=timezone.now(),
                )
                audit(actor=None, action="follow_up.request", obj=request, milestone=milestone)
                transaction.on_commit(partial(send_request_email, request.pk))
                sent += 1
    return sent


def reminder_recipients(request: FollowUpRequest) -> list[str]:
    """The site's active coordinators and the referring advisor (the candidacy's prescriber
    user), when there is one."""
    enrolment = request.enrolment
    recipients = list(
        User.objects.filter(role=Role.COORDINATOR, site_id=enrolment.cohort.site_id, is_active=True)
        .order_by("id")
        .values_list("email", flat=True)
    )
    advisor = enrolment.candidacy.referred_by
    if (
        advisor is not None
        and advisor.is_active
        and advisor.role == Role.PRESCRIBER
        and advisor.email not in recipients
    ):
        recipients.append(advisor.email)
    return recipients


def send_reminder_email(request_id: int) -> None:
    request = FollowUpRequest.objects.select_related(
        "enrolment__candidacy__person", "enrolment__candidacy__referred_by", "enrolment__cohort"
    ).get(pk=request_id)
    recipients = reminder_recipients(request)
    if not recipients:
        return
    person = request.enrolment.candidacy.person
    subject = _("Tremplin : suivi %(milestone)s de %(name)s sans réponse") % {
        "milestone": request.get_milestone_display().lower(),
        "name": person.full_name,
    }
    lines = [
        _(
            "%(name)s (%(cohort)s) n'a pas répondu à la demande de suivi %(milestone)s envoyée "
            "le %(sent)s."
        )
        % {
            "name": person.full_name,
            "cohort": request.enrolment.cohort.name,
            "milestone": request.get_milestone_display().lower(),
            "sent": f"{timezone.localtime(request.sent_at):%d/%m/%Y}",
        },
        _("Prenez contact avec la personne et saisissez sa situation :"),
        settings.SITE_URL
        + reverse("follow_up_record", args=[request.enrolment_id, request.milestone]),
    ]
    send_mail(subject, "\n".join(lines) + "\n", None, recipients)


def send_follow_up_reminders(*, now: datetime.datetime | None = None) -> int:
    """Email staff once about each request unanswered after ``REMINDER_AFTER`` for which
    nobody recorded an answer either; idempotent. Returns how many requests were reminded."""
    now = now or timezone.now()
    answered_by_staff = FollowUp.objects.filter(
        enrolment=OuterRef("enrolment"), milestone=OuterRef("milestone")
    )
    stale = (
        FollowUpRequest.objects.filter(
            answered_at__isnull=True,
            reminder_sent_at__isnull=True,
            sent_at__lte=now - REMINDER_AFTER,
        )
        .exclude(Exists(answered_by_staff))
        .order_by("id")
        .values_list("pk", flat=True)
    )
    reminded = 0
    for pk in stale:
        with transaction.atomic():
            locked = FollowUpRequest.objects.select_for_update().get(pk=pk)
            if locked.reminder_sent_at is not None or locked.answered_at is not None:
                continue  # another run got there first
            locked.reminder_sent_at = now
            locked.save(update_fields=["reminder_sent_at"])
            audit(actor=None, action="follow_up.remind", obj=locked)
            transaction.on_commit(partial(send_reminder_email, locked.pk))
            reminded += 1
    return reminded


def send_due_follow_ups(*, today: datetime.date | None = None) -> tuple[int, int]:
    """The daily run: requests due, then reminders; returns (requests sent, reminders sent)."""
    return send_due_follow_up_requests(today=today), send_follow_up_reminders()
