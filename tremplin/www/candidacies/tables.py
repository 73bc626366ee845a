"""The candidacy list as a spreadsheet (www.exports): the columns the page shows, with ids."""

from django.utils.translation import gettext_lazy as _

from tremplin.www import exports as x

candidacy_table = x.Table(
    sheet=_("Candidatures"),
    columns=[
        x.integer(_("N° candidature"), lambda c: c.pk),
        x.text(_("Nom"), lambda c: c.person.last_name),
        x.text(_("Prénom"), lambda c: c.person.first_name),
        x.text(_("Adresse électronique"), lambda c: c.person.email),
        x.text(_("Téléphone"), lambda c: c.person.phone),
        x.integer(_("N° promotion"), lambda c: c.cohort_id),
        x.text(_("Promotion"), lambda c: c.cohort.name),
        x.text(_("Site"), lambda c: c.cohort.site.name),
        x.text(
            _("Prescripteur"),
            lambda c: str(c.prescriber_organisation or _("Candidature spontanée")),
        ),
        x.date(_("Date"), lambda c: c.created_at),
        x.text(_("Statut"), lambda c: c.get_status_display()),
    ],
)
