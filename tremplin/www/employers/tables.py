"""The openings and proposals lists as spreadsheets (www.exports)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from tremplin.www import exports as x

from .pipeline import candidate_name

opening_table = x.Table(
    sheet=_("Offres d'emploi"),
    columns=[
        x.integer(_("N° offre"), lambda o: o.pk),
        x.text(_("Poste"), lambda o: o.title),
        x.text(_("Employeur"), lambda o: str(o.employer)),
        x.text(_("ROME"), lambda o: o.rome_code),
        x.text(_("Contrat"), lambda o: o.get_contract_type_display()),
        x.text(_("Commune"), lambda o: o.commune),
        x.date(_("Prise de poste souhaitée"), lambda o: o.starts_on),
        x.integer(_("Postes"), lambda o: o.positions),
        x.integer(_("Proposés"), lambda o: o.proposed),
        x.integer(_("Embauchés"), lambda o: o.hired),
        x.text(_("Statut"), lambda o: o.get_status_display()),
        x.date(_("Publiée le"), lambda o: o.created_at),
    ],
)


def proposal_table(user: Any, unanswered: set[int]) -> x.Table:
    """The candidate's name as the page writes it for this user (« Inès B. » for employers)."""
    return x.Table(
        sheet=_("Candidats proposés"),
        columns=[
            x.integer(_("N° proposition"), lambda p: p.pk),
            x.text(_("Candidat"), lambda p: candidate_name(p.enrolment.candidacy.person, user)),
            x.integer(_("N° offre"), lambda p: p.opening_id),
            x.text(_("Offre"), lambda p: p.opening.title),
            x.text(_("Employeur"), lambda p: str(p.opening.employer)),
            x.date(_("Proposé le"), lambda p: p.created_at),
            x.text(_("Statut"), lambda p: p.get_status_display()),
            x.boolean(_("Sans réponse"), lambda p: p.pk in unanswered),
        ],
    )
