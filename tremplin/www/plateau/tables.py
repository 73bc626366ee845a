"""The site closures and the donations report as spreadsheets (www.exports)."""

from django.utils.translation import gettext_lazy as _

from tremplin.www import exports as x

closure_table = x.Table(
    sheet=_("Fermetures"),
    columns=[
        x.text(_("Site"), lambda c: c.site.name),
        x.date(_("Du"), lambda c: c.start),
        x.date(_("Au"), lambda c: c.end),
        x.text(_("Motif"), lambda c: c.reason),
    ],
)

# Rows are the report's dictionaries (one per donor and equipment type).
donation_table = x.Table(
    sheet=_("Dons"),
    columns=[
        x.text(_("Donateur"), lambda r: r["donor__name"]),
        x.text(_("Type"), lambda r: r["type_label"]),
        x.integer(_("Nombre"), lambda r: r["count"]),
        x.date(_("Premier don"), lambda r: r["first"]),
        x.date(_("Dernier don"), lambda r: r["last"]),
    ],
)
