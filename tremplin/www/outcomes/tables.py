"""The follow-ups to do as a spreadsheet (www.exports); rows are the page's dictionaries."""

from django.utils.translation import gettext_lazy as _

from tremplin.www import exports as x

follow_up_table = x.Table(
    sheet=_("Suivis à faire"),
    columns=[
        x.integer(_("N° parcours"), lambda r: r["enrolment"].pk),
        x.text(_("Apprenant"), lambda r: r["enrolment"].candidacy.person.full_name),
        x.text(_("Promotion"), lambda r: r["enrolment"].cohort.name),
        x.text(_("Échéance"), lambda r: r["milestone"].label),
        x.date(_("Prévu le"), lambda r: r["due"]),
        x.boolean(_("En retard"), lambda r: r["late"]),
        x.date(_("Demande envoyée le"), lambda r: r["request"] and r["request"].sent_at),
        x.date(_("Relancée le"), lambda r: r["request"] and r["request"].reminder_sent_at),
    ],
)
