"""The absence alerts as a spreadsheet (www.exports): open ones first, then handled ones."""

from django.utils.translation import gettext_lazy as _

from tremplin.www import exports as x

alert_table = x.Table(
    sheet=_("Alertes d'absences"),
    columns=[
        x.integer(_("N° alerte"), lambda a: a.pk),
        x.text(_("Apprenant"), lambda a: a.enrolment.candidacy.person.full_name),
        x.text(_("Promotion"), lambda a: a.enrolment.cohort.name),
        x.date(_("Première absence"), lambda a: a.first_sheet.session.date),
        x.text(_("Demi-journée"), lambda a: a.first_sheet.session.get_half_day_display()),
        x.date(_("Seconde absence"), lambda a: a.second_sheet.session.date),
        x.text(_("Demi-journée"), lambda a: a.second_sheet.session.get_half_day_display()),
        x.datetime_(_("Levée le"), lambda a: a.raised_at),
        x.datetime_(_("Traitée le"), lambda a: a.handled_at),
        x.text(_("Traitée par"), lambda a: a.handled_by.get_full_name() if a.handled_by else ""),
        x.text(_("Suite donnée"), lambda a: a.handling_note),
    ],
)
