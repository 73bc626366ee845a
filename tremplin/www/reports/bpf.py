"""The « bilan pédagogique et financier » page: cadre F (trainees and trainee-hours of a year,
F-1 by type of trainee, F-3 by objective, F-4 by speciality), for one site or the network's
sites, with the balance check, as CSV and XLSX too. The organisation's own filing: its staff
only (reports.perms.bpf_sites_for_user). Definitions: docs/indicators.md."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tremplin.engine.indicators.bpf import Bpf, BpfLine, BpfTable
from tremplin.organisations.models import Site
from tremplin.reports.bpf import FIRST_YEAR, bpf_for
from tremplin.reports.perms import bpf_sites_for_user
from tremplin.www.exports import Table, decimal, export_response, integer, text
from tremplin.www.forms import StyledForm
from tremplin.www.http import AuthedRequest

# The lines' wording follows the Cerfa 10443 (cadre F); the letters are the form's.
F1_LINES: dict[str, tuple[str, Promise]] = {
    "a": ("a", _("Salariés d'employeurs privés hors apprentis")),
    "b": ("b", _("Apprentis")),
    "c": ("c", _("Personnes en recherche d'emploi formées par votre organisme")),
    "d": ("d", _("Particuliers à leurs propres frais formés par votre organisme")),
    "e": ("e", _("Autres stagiaires")),
}
F3_LINES: dict[str, tuple[str, Promise]] = {
    "rncp": (
        "a",
        _(
            "Formations visant un diplôme, un titre à finalité professionnelle ou un certificat "
            "de qualification professionnelle enregistré au RNCP"
        ),
    ),
    "level_6_8": ("", _("dont de niveau 6 à 8")),
    "level_5": ("", _("dont de niveau 5")),
    "level_4": ("", _("dont de niveau 4")),
    "level_3": ("", _("dont de niveau 3")),
    "level_2": ("", _("dont de niveau 2")),
    "cqp_no_level": ("", _("dont certificat de qualification professionnelle sans niveau")),
    "level_unknown": ("", _("dont niveau non renseigné")),
    "rs": (
        "b",
        _(
            "Formations visant une certification ou une habilitation enregistrée au "
            "Répertoire spécifique"
        ),
    ),
    "cqp": ("c", _("Formations visant un CQP non enregistré au RNCP ni au Répertoire spécifique")),
    "other": ("d", _("Autres formations professionnelles")),
    "skills_review": ("e", _("Bilans de compétences")),
    "vae": ("f", _("Actions d'accompagnement à la validation des acquis de l'expérience")),
    "not_stated": ("", _("Objectif non renseigné")),
}
F4_LINES: dict[str, Promise] = {
    "other_specialities": _("Autres spécialités"),
    "not_stated": _("Spécialité non renseignée"),
}
TOTAL = _("Total")


@dataclass(frozen=True)
class Row:
    """A line as the page and the files show it."""

    frame: str
    letter: str
    label: str | Promise
    trainees: int | None
    hours: Decimal | None
    detail: bool = False
    total: bool = False


def _rows(frame: str, table: BpfTable, labels: Any) -> list[Row]:
    rows = []
    for line in table.lines:
        if frame == "F-4":
            letter = line.key if line.key not in F4_LINES else ""
            label = F4_LINES.get(line.key) or line.label
        else:
            letter, label = labels[line.key]
        rows.append(Row(frame, letter, label, line.trainees, line.hours, detail=line.detail))
    total: BpfLine = table.total
    rows.append(Row(frame, "", TOTAL, total.trainees, total.hours, total=True))
    return rows


def bpf_tables(result: Bpf) -> list[tuple[str, Promise, list[Row]]]:
    return [
        ("F-1", _("Type de stagiaires"), _rows("F-1", result.f1, F1_LINES)),
        (
            "F-3",
            _("Objectif général des prestations dispensées"),
            _rows("F-3", result.f3, F3_LINES),
        ),
        ("F-4", _("Spécialités de formation (NSF)"), _rows("F-4", result.f4, None)),
    ]


EXPORT = Table(
    sheet=_("BPF cadre F"),
    columns=(
        text(_("Cadre"), lambda r: r.frame),
        text(_("Ligne"), lambda r: r.letter),
        text(_("Intitulé"), lambda r: str(r.label)),
        integer(_("Nombre de stagiaires"), lambda r: r.trainees),
        decimal(_("Nombre total d'heures"), lambda r: r.hours),
    ),
)


def _export_rows(result: Bpf) -> list[Row]:
    rows = [row for _frame, _title, table in bpf_tables(result) for row in table]
    check = _("Équilibré : oui") if result.balanced else _("Équilibré : non")
    rows.append(Row(str(_("Contrôle")), "", check, None, None))
    return rows


class BpfForm(StyledForm):
    year = forms.IntegerField(
        label=_("Année"),
        error_messages={
            "required": _("Choisissez une année."),
            "invalid": _("Année non valide : donnez une année en chiffres, par exemple 2025."),
        },
    )
    site = forms.ModelChoiceField[Site](
        label=_("Site"),
        required=False,
        queryset=Site.objects.none(),
        error_messages={"invalid_choice": _("Site inconnu ou hors de votre périmètre.")},
    )

    def __init__(self, *args: Any, sites: QuerySet[Site], network: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.last_year = timezone.localdate().year
        years = range(self.last_year, FIRST_YEAR - 1, -1)
        self.fields["year"].widget = forms.Select(
            choices=[(y, str(y)) for y in years], attrs={"class": "form-select"}
        )
        site = self.fields["site"]
        site.queryset = sites  # type: ignore[attr-defined]
        # A network admin chooses one site or all of them; a coordinator has one.
        site.empty_label = _("Tous les sites du réseau") if network else None  # type: ignore[attr-defined]

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        if not FIRST_YEAR <= year <= self.last_year:
            raise forms.ValidationError(
                _("Année non valide : choisissez une année de %(first)s à %(last)s."),
                params={"first": FIRST_YEAR, "last": self.last_year},
            )
        return year


def bpf_page(request: AuthedRequest) -> HttpResponse:
    sites = bpf_sites_for_user(request.user)
    choices = list(sites)
    if not choices:
        raise PermissionDenied
    data = request.GET.copy()
    data.setdefault("year", str(timezone.localdate().year))
    network = len(choices) > 1
    form = BpfForm(data, sites=sites, network=network)
    context: dict[str, Any] = {"form": form, "result": None}
    if form.is_valid():
        year, site = form.cleaned_data["year"], form.cleaned_data["site"]
        scope = sites.filter(pk=site.pk) if site else sites
        result = bpf_for(scope, year)
        name = site.name if site else (choices[0].network.name if network else choices[0].name)
        exported = export_response(
            request, table=EXPORT, rows=_export_rows(result), filename=f"bpf-{year}-{name}"
        )
        if exported is not None:
            return exported
        query = {"year": year, **({"site": site.pk} if site else {})}
        context |= {
            "year": year,
            "scope_name": name,
            "result": result,
            "tables": bpf_tables(result),
            "csv_query": urlencode({**query, "format": "csv"}),
            "xlsx_query": urlencode({**query, "format": "xlsx"}),
        }
    return render(request, "reports/bpf.html", context)
