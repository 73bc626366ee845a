"""The audit journal as a spreadsheet (www.exports), details masked as on the page."""

from django.utils.translation import gettext_lazy as _

from tremplin.core.selectors import details_text
from tremplin.www import exports as x

journal_table = x.Table(
    sheet=_("Journal d'audit"),
    columns=[
        x.integer(_("N° entrée"), lambda e: e.pk),
        x.datetime_(_("Date"), lambda e: e.at),
        x.text(_("Auteur"), lambda e: e.actor.email if e.actor else ""),
        x.text(_("Action"), lambda e: e.action),
        x.text(_("Type d'objet"), lambda e: e.object_type),
        x.text(_("N° de l'objet"), lambda e: e.object_id),
        x.text(_("Détails"), lambda e: details_text(e.details)),
        x.text(_("Empreinte"), lambda e: e.entry_hash),
    ],
)
