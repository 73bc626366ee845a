"""The people list and the merge log as spreadsheets (www.exports)."""

from django.utils.translation import gettext_lazy as _

from tremplin.www import exports as x

person_table = x.Table(
    sheet=_("Personnes"),
    columns=[
        x.integer(_("N° personne"), lambda p: p.pk),
        x.text(_("Nom"), lambda p: p.last_name),
        x.text(_("Prénom"), lambda p: p.first_name),
        x.date(_("Date de naissance"), lambda p: p.birth_date),
        x.text(_("Commune"), lambda p: p.commune),
        x.text(_("Code postal"), lambda p: p.postal_code),
        x.text(_("Adresse électronique"), lambda p: p.email),
        x.text(_("Téléphone"), lambda p: p.phone),
    ],
)

merge_table = x.Table(
    sheet=_("Fusions"),
    columns=[
        x.integer(_("N° fusion"), lambda m: m.pk),
        x.datetime_(_("Date"), lambda m: m.at),
        x.integer(_("N° fiche conservée"), lambda m: m.kept_person_id),
        x.text(_("Fiche conservée"), lambda m: m.kept_name),
        x.integer(_("N° fiche retirée"), lambda m: m.removed_person_id),
        x.text(_("Fiche retirée"), lambda m: m.removed_name),
        x.text(_("Par"), lambda m: m.by.get_full_name() if m.by else ""),
        x.integer(_("Lignes déplacées"), lambda m: m.moved_count),
        x.date(_("Annulée le"), lambda m: m.undone_at),
    ],
)
