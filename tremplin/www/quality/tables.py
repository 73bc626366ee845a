"""The complaints log and the improvement actions as spreadsheets (www.exports)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from tremplin.www import exports as x


def _origin(action: Any) -> str:
    if action.complaint:
        return f"{_('Réclamation :')} {action.complaint.subject}"
    return f"{_('Enquête')} {action.get_survey_kind_display()} — {action.cohort.name}"


complaint_table = x.Table(
    sheet=_("Réclamations"),
    columns=[
        x.integer(_("N° réclamation"), lambda c: c.pk),
        x.date(_("Reçue le"), lambda c: c.received_on),
        x.text(_("Objet"), lambda c: c.subject),
        x.text(_("Site"), lambda c: c.site.name),
        x.text(_("Émise par"), lambda c: c.get_complainant_kind_display()),
        x.text(_("État"), lambda c: c.get_status_display()),
    ],
)

action_table = x.Table(
    sheet=_("Actions d'amélioration"),
    columns=[
        x.integer(_("N° action"), lambda a: a.pk),
        x.date(_("Échéance"), lambda a: a.due_on),
        x.text(_("Action"), lambda a: a.description),
        x.text(_("Origine"), _origin),
        x.text(_("Site"), lambda a: a.site.name),
        x.text(_("Responsable"), lambda a: a.owner.get_full_name() or a.owner.email),
        x.text(_("État"), lambda a: a.get_status_display()),
        x.date(_("Réalisée le"), lambda a: a.done_on),
    ],
)
