"""Emails of the placement pipeline, sent once the write that causes them is committed.

A new proposal goes to the opening's employer users and names the learner by their first
name only: an email leaves our hands, so it carries no contact details, the rest is on the
proposal page behind the employer's login. Each employer answer (interview, immersion, hire,
not retained) and each signature of the immersion agreement goes to the coordinator who
proposed and to the coordinators of the learner's site; an immersion also asks the learner,
when they have an account, to sign its agreement in their space.

Services register these with ``transaction.on_commit`` and pass ids: the rows are read
again here, so an email never describes a write that was rolled back.
"""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tremplin.accounts.enums import Role
from tremplin.accounts.models import User
from tremplin.core.models import TransitionLog

from .models import Proposal
from .workflow import proposal_workflow


def _proposal(proposal_id: int) -> Proposal:
    return Proposal.objects.select_related(
        "opening__employer", "proposed_by", "enrolment__cohort", "enrolment__candidacy__person"
    ).get(pk=proposal_id)


def _link(proposal: Proposal) -> str:
    return settings.SITE_URL + reverse("proposal_detail", args=[proposal.pk])


def _emails(users: Iterable[Any], *, leave_out: int | None = None) -> list[str]:
    """Distinct addresses of active users, without the author of the change."""
    seen: list[str] = []
    for user in users:
        if user.is_active and user.email and user.pk != leave_out and user.email not in seen:
            seen.append(user.email)
    return seen


def employer_recipients(proposal: Proposal) -> list[str]:
    return _emails(
        User.objects.filter(
            role=Role.EMPLOYER, organisation_id=proposal.opening.employer_id, is_active=True
        ).order_by("pk")
    )


def coordinator_recipients(proposal: Proposal, *, leave_out: int | None = None) -> list[str]:
    coordinators = User.objects.filter(
        role=Role.COORDINATOR, site_id=proposal.enrolment.cohort.site_id, is_active=True
    ).order_by("pk")
    return _emails([proposal.proposed_by, *coordinators], leave_out=leave_out)


def proposal_created(proposal_id: int) -> None:
    """Tell the opening's employer users that a learner was put forward."""
    proposal = _proposal(proposal_id)
    recipients = employer_recipients(proposal)
    if not recipients:
        return
    # Users have no language preference yet: emails go out in the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "first_name": proposal.enrolment.candidacy.person.first_name,
            "title": proposal.opening.title,
        }
        subject = _("Tremplin : une candidature pour « %(title)s »") % values
        lines = [
            _("Bonjour,"),
            "",
            _("Un apprenant, %(first_name)s, vous est proposé pour l'offre « %(title)s ».")
            % values,
            _("Ses compétences et ses disponibilités sont sur la page de la proposition :"),
            _link(proposal),
        ]
    send_mail(subject, "\n".join(lines) + "\n", None, recipients)


def _send_to_coordinators(
    proposal: Proposal, actor_id: int | None, subject: str, lines: list[str]
) -> None:
    recipients = coordinator_recipients(proposal, leave_out=actor_id)
    if recipients:
        send_mail(subject, "\n".join(lines) + "\n", None, recipients)


def proposal_answered(log_id: int, actor_id: int | None) -> None:
    """Tell the coordinators the employer's answer: interview, immersion, hire, not retained."""
    log = TransitionLog.objects.get(pk=log_id)
    proposal = _proposal(log.object_id)
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "name": proposal.enrolment.candidacy.person.full_name,
            "title": proposal.opening.title,
            "employer": str(proposal.opening.employer),
            "state": proposal_workflow.state_labels[log.to_state],
        }
        subject = _("Tremplin : %(name)s — %(state)s (%(employer)s)") % values
        lines = [
            _("Bonjour,"),
            "",
            _("La proposition de %(name)s pour « %(title)s » chez %(employer)s : %(state)s.")
            % values,
        ]
        if log.reason:
            reason = proposal_workflow.reason_labels[log.transition].get(log.reason, log.reason)
            lines.append(_("Motif : %(reason)s") % {"reason": reason})
        if log.transition == "immersion":
            lines.append(
                _("Immersion du %(start)s au %(end)s, tuteur ou tutrice : %(tutor)s.")
                % {
                    "start": f"{proposal.immersion_start:%d/%m/%Y}",
                    "end": f"{proposal.immersion_end:%d/%m/%Y}",
                    "tutor": proposal.immersion_tutor,
                }
            )
        if log.transition == "hire":
            lines.append(
                _("Contrat : %(contract)s à partir du %(start)s, %(hours)s h par semaine.")
                % {
                    "contract": proposal.get_hired_contract_type_display(),
                    "start": f"{proposal.hired_start_date:%d/%m/%Y}",
                    "hours": proposal.hired_weekly_hours,
                }
            )
        lines += ["", _("Détail : %(url)s") % {"url": _link(proposal)}]
    _send_to_coordinators(proposal, actor_id, subject, lines)
    if log.transition == "immersion":
        ask_learner_to_sign(proposal)


def ask_learner_to_sign(proposal: Proposal) -> None:
    """Tell the learner, through their account's address, that the agreement awaits them."""
    account = proposal.enrolment.candidacy.person.account
    if account is None or not account.is_active or not account.email:
        # Without an account the coordinator gives the learner the news in person.
        return
    with translation.override(settings.LANGUAGE_CODE):
        values = {"title": proposal.opening.title, "employer": str(proposal.opening.employer)}
        subject = _("Tremplin : votre convention d'immersion à signer") % values
        lines = [
            _("Bonjour,"),
            "",
            _(
                "%(employer)s vous propose une immersion (PMSMP) pour « %(title)s ». "
                "Signez la convention dans votre espace, rubrique « Mes propositions » :"
            )
            % values,
            settings.SITE_URL + reverse("learner_proposals"),
        ]
    send_mail(subject, "\n".join(lines) + "\n", None, [account.email])


def agreement_signed(proposal_id: int, party: str, actor_id: int | None) -> None:
    """Tell the coordinators who signed the immersion agreement, and whether it is complete."""
    proposal = _proposal(proposal_id)
    with translation.override(settings.LANGUAGE_CODE):
        parties = {
            "employer": _("l'employeur"),
            "learner": _("l'apprenant·e"),
            "prescriber": _("le prescripteur"),
        }
        values = {
            "name": proposal.enrolment.candidacy.person.full_name,
            "title": proposal.opening.title,
            "employer": str(proposal.opening.employer),
            "party": parties[party],
        }
        subject = _("Tremplin : convention d'immersion de %(name)s signée par %(party)s") % values
        lines = [
            _("Bonjour,"),
            "",
            _(
                "La convention d'immersion de %(name)s pour « %(title)s » chez %(employer)s "
                "a été signée par %(party)s."
            )
            % values,
            _("Elle porte les trois signatures : l'embauche peut être enregistrée.")
            if proposal.agreement_signed
            else _("Elle attend encore d'autres signatures."),
            "",
            _("Détail : %(url)s") % {"url": _link(proposal)},
        ]
    _send_to_coordinators(proposal, actor_id, subject, lines)
