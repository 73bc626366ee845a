"""The cohort list as a spreadsheet (www.exports)."""

from django.utils.translation import gettext_lazy as _

from tremplin.www import exports as x

cohort_table = x.Table(
    sheet=_("Promotions"),
    columns=[
        x.integer(_("N° promotion"), lambda c: c.pk),
        x.text(_("Promotion"), lambda c: c.name),
        x.text(_("Site"), lambda c: c.site.name),
        x.text(_("Parcours"), lambda c: c.programme.name),
        x.date(_("Début"), lambda c: c.start_date),
        x.date(_("Fin"), lambda c: c.end_date),
        x.integer(_("Inscrits"), lambda c: c.enrolled),
        x.integer(_("Capacité"), lambda c: c.capacity),
    ],
)
