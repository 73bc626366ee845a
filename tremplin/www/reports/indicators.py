"""The indicators as rows a template can print: value, numerator / denominator, definition,
with the small-cell rule applied for viewers who see aggregates only (funders).

The engine returns figures; this module decides what each viewer is shown of them, so the
templates never see a hidden number.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tremplin.cohorts.enums import DropOutReason, ExclusionReason
from tremplin.engine.indicators import AGE_BANDS, Cost, Costs, Figure, SurvivalCurve, suppressed
from tremplin.people.enums import Diploma
from tremplin.reports.certification import CertificationFigures
from tremplin.reports.selectors import SiteComparison, SiteIndicators

from .charts import BarChart, StepChart, percent_bars, survival_steps

AGE_BAND_LABELS = {
    "under_26": gettext_lazy("Moins de 26 ans"),
    "26_44": gettext_lazy("26 à 44 ans"),
    "45_plus": gettext_lazy("45 ans et plus"),
}
assert set(AGE_BAND_LABELS) == {key for key, _low, _high in AGE_BANDS}


@dataclass(frozen=True)
class Cell:
    """What a viewer sees of one figure: ``value`` (« 58 % », « pas de données », « moins de 5
    personnes ») and ``detail`` (« 7 / 12 ») empty when hidden or without data."""

    value: str
    detail: str
    hidden: bool = False
    no_data: bool = False


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    cell: Cell
    definition: str
    note: str = ""


def percent(value: float) -> str:
    return f"{round(value * 100)} %"


def small_cell() -> str:
    return _("moins de 5 personnes")


def no_data() -> str:
    return _("pas de données")


def figure_cell(fig: Figure, *, aggregates_only: bool) -> Cell:
    if fig.value is None:
        return Cell(no_data(), "", no_data=True)
    if aggregates_only and suppressed(fig):
        return Cell(small_cell(), "", hidden=True)
    return Cell(percent(fig.value), f"{fig.numerator} / {fig.denominator}")


def count_cell(count: int, *, aggregates_only: bool) -> Cell:
    if aggregates_only and suppressed(count):
        return Cell(small_cell(), "", hidden=True)
    return Cell(str(count), "")


def reason_label(reason: str) -> str:
    labels = {**dict(DropOutReason.choices), **dict(ExclusionReason.choices)}
    return str(labels.get(reason, _("motif non renseigné")))


def certification_rows(
    certification: CertificationFigures | None, *, aggregates_only: bool
) -> list[Row]:
    """Blocks validated and certification obtained, from the jury's results."""
    awaiting = certification.awaiting_jury if certification else 0
    note = (
        ngettext(
            "%(count)s sortie d'une promotion dont le jury n'est pas saisi : non comptée.",
            "%(count)s sorties de promotions dont le jury n'est pas saisi : non comptées.",
            awaiting,
        )
        % {"count": awaiting}
        if awaiting
        else ""
    )
    figures = certification.figures if certification else None
    none = Cell(no_data(), "", no_data=True)
    return [
        Row(
            "blocks_validated",
            _("Au moins un bloc de compétences validé"),
            figure_cell(figures.at_least_one_block, aggregates_only=aggregates_only)
            if figures
            else none,
            _("Sortis dont le jury a validé au moins un bloc, parmi les sortis."),
            note,
        ),
        Row(
            "certified",
            _("Certification obtenue"),
            figure_cell(figures.certified, aggregates_only=aggregates_only) if figures else none,
            _("Sortis ayant obtenu la certification complète, parmi les sortis."),
            note,
        ),
    ]


def indicator_rows(
    ind: SiteIndicators,
    *,
    aggregates_only: bool,
    certification: CertificationFigures | None = None,
) -> list[Row]:
    """The table of the site page, in the order of docs/indicators.md."""

    def fig(value: Figure) -> Cell:
        return figure_cell(value, aggregates_only=aggregates_only)

    ref, comp, outcome = ind.referrals, ind.completion, ind.positive_outcomes
    milestone_labels = {
        "exit": _("En emploi à la sortie"),
        "m3": _("En emploi à 3 mois"),
        "m6": _("En emploi à 6 mois"),
        "m12": _("En emploi à 12 mois"),
    }
    employment_definition = _(
        "Personnes en emploi (CDI, CDD, intérim, alternance) à l'échéance, parmi les sorties "
        "dont l'échéance est passée ; une situation inconnue compte au dénominateur."
    )
    rows = [
        Row(
            "referred",
            _("Orientations"),
            count_cell(ref.referred, aggregates_only=aggregates_only),
            _("Toutes les candidatures des promotions retenues."),
        ),
        Row(
            "acceptance",
            _("Taux d'acceptation"),
            fig(ref.acceptance),
            _(
                "Candidatures acceptées ou entrées en formation, parmi celles qui ont reçu une "
                "réponse (acceptées, entrées, refusées) ; en attente et désistements exclus."
            ),
        ),
        Row(
            "enrolment",
            _("Taux d'entrée en formation"),
            fig(ref.enrolment),
            _("Candidatures entrées en formation, parmi les acceptées et entrées."),
        ),
        Row(
            "completed",
            _("Parcours terminé"),
            fig(comp.completed),
            _("Inscriptions terminées normalement, parmi les inscriptions terminées."),
        ),
        Row(
            "dropped_out",
            _("Abandon"),
            fig(comp.dropped_out),
            _("Abandons, parmi les inscriptions terminées (indicateur 2 Qualiopi)."),
        ),
        Row(
            "excluded",
            _("Exclusion"),
            fig(comp.excluded),
            _("Exclusions, parmi les inscriptions terminées."),
        ),
        *certification_rows(certification, aggregates_only=aggregates_only),
    ]
    for rate in ind.employment:
        rows.append(
            Row(
                f"employment_{rate.milestone}",
                milestone_labels[rate.milestone],
                fig(rate.rate),
                employment_definition,
            )
        )
    undetermined = count_cell(outcome.undetermined, aggregates_only=aggregates_only)
    rows += [
        Row(
            "positive_outcomes",
            _("Sortie dynamique (à la sortie)"),
            fig(outcome.rate),
            _(
                "CDI, CDD de 6 mois ou plus ou alternance à la sortie, parmi les sorties. "
                "L'intérim et les formations ne comptent pas : leur durée et leur caractère "
                "qualifiant ne sont pas enregistrés."
            ),
            _("Intérim ou formation (indéterminés) : %(count)s.") % {"count": undetermined.value}
            if outcome.undetermined
            else "",
        ),
        Row(
            "retention",
            _("Maintien dans l'emploi à 12 mois"),
            fig(ind.retention.rate),
            _("En emploi à 12 mois, parmi les personnes en emploi à 6 mois."),
        ),
        Row(
            "median_days",
            _("Délai médian d'accès au premier emploi"),
            median_cell(ind.time_to_job, aggregates_only=aggregates_only),
            _(
                "Jours entre la sortie et le premier emploi connu (courbe de Kaplan–Meier) ; "
                "les personnes sans emploi connu sont censurées à leur dernier suivi."
            ),
        ),
        Row(
            "satisfied",
            _("Satisfaction"),
            fig(ind.satisfaction.satisfied),
            _(
                "Répondants satisfaits (note moyenne de 4 ou 5 sur 5 à l'enquête de fin de "
                "formation), parmi les répondants."
            ),
        ),
        Row(
            "survey_response",
            _("Taux de réponse à l'enquête de fin de formation"),
            fig(ind.satisfaction.response),
            _("Répondants, parmi les personnes interrogées."),
        ),
        Row(
            "cost_per_learner",
            _("Coût par personne formée"),
            cost_cell(ind.costs.per_learner, aggregates_only=aggregates_only),
            _("Somme des financements des promotions, divisée par les entrés en formation."),
            cost_note(ind.costs),
        ),
        Row(
            "cost_per_outcome",
            _("Coût par sortie dynamique"),
            cost_cell(ind.costs.per_positive_outcome, aggregates_only=aggregates_only),
            _("Somme des financements des promotions, divisée par les sorties dynamiques."),
            cost_note(ind.costs),
        ),
    ]
    return rows


def euros(amount: Decimal) -> str:
    """« 9 500 € »: whole euros, thin-spaced thousands, as French reports print them."""
    whole = int(amount.quantize(Decimal(1), ROUND_HALF_UP))
    return f"{whole:,} €".replace(",", "\u202f")


def cost_cell(cost: Cost, *, aggregates_only: bool) -> Cell:
    """A cost and its parts (« 114 000 € / 12 personnes »); none without a budget or people,
    hidden when it divides among fewer than 5 people for those who see aggregates only."""
    if cost.value is None or cost.budget is None:
        return Cell(no_data(), "", no_data=True)
    if aggregates_only and suppressed(cost.people):
        return Cell(small_cell(), "", hidden=True)
    detail = ngettext(
        "%(budget)s / %(people)s personne", "%(budget)s / %(people)s personnes", cost.people
    ) % {"budget": euros(cost.budget), "people": cost.people}
    return Cell(euros(cost.value), detail)


def cost_note(costs: Costs) -> str:
    if costs.cohorts_without_budget:
        return ngettext(
            "%(count)s promotion sans financement saisi : coût non calculé.",
            "%(count)s promotions sans financement saisi : coût non calculé.",
            costs.cohorts_without_budget,
        ) % {"count": costs.cohorts_without_budget}
    return ""


def median_cell(curve: SurvivalCurve, *, aggregates_only: bool) -> Cell:
    if not curve.people:
        return Cell(no_data(), "", no_data=True)
    if aggregates_only and suppressed(curve.people):
        return Cell(small_cell(), "", hidden=True)
    detail = _("%(people)s personnes sorties") % {"people": curve.people}
    if curve.median is None:
        return Cell(_("non atteint"), detail)
    return Cell(_("%(days)s jours") % {"days": curve.median}, detail)


@dataclass(frozen=True)
class CurveRow:
    time: int
    at_risk: Cell
    hired: Cell
    still_looking: Cell


def curve_rows(curve: SurvivalCurve, *, aggregates_only: bool) -> list[CurveRow]:
    rows = []
    for step in curve.steps:
        # The hires of a step are about the people at risk then: hidden with them.
        if aggregates_only and suppressed(step.at_risk):
            hidden = Cell(small_cell(), "", hidden=True)
            rows.append(CurveRow(step.time, hidden, hidden, hidden))
            continue
        rows.append(
            CurveRow(
                step.time,
                Cell(str(step.at_risk), ""),
                Cell(str(step.events), ""),
                Cell(percent(step.survival), ""),
            )
        )
    return rows


@dataclass(frozen=True)
class PublicRow:
    label: str
    cell: Cell
    # The share in whole percent, None when hidden or without data: what the bar draws.
    bar: int | None


def public_rows(ind: SiteIndicators, *, aggregates_only: bool) -> list[PublicRow]:
    public = ind.public

    def row(label: str, value: Figure) -> PublicRow:
        cell = figure_cell(value, aggregates_only=aggregates_only)
        shown = value.value is not None and not cell.hidden
        return PublicRow(label, cell, round(value.value * 100) if shown and value.value else 0)

    diplomas = dict(Diploma.choices)
    return [
        row(_("Résident·es en QPV"), public.qpv),
        row(_("Bénéficiaires du RSA"), public.rsa),
        row(_("Femmes"), public.women),
        *(row(str(AGE_BAND_LABELS[key]), value) for key, value in public.age_bands),
        *(row(str(diplomas[level]), value) for level, value in public.diplomas),
    ]


def public_chart(rows: list[PublicRow]) -> BarChart:
    """Bars of the shares shown (in percent); hidden and empty cells draw no bar."""
    shown = [(r.label, r.bar) for r in rows if not (r.cell.hidden or r.cell.no_data)]
    return percent_bars([(label, bar or 0) for label, bar in shown])


def curve_chart(curve: SurvivalCurve, last_day: int, *, aggregates_only: bool) -> StepChart:
    """The Kaplan–Meier steps; for those who see aggregates only, the curve stops at the last
    step with 5 people or more at risk: a later drop would tell how many of a few were hired
    (the usual truncation of published survival curves)."""
    steps = curve.steps
    if aggregates_only:
        kept = [s for s in steps if not suppressed(s.at_risk)]
        if len(kept) < len(steps):
            steps = tuple(kept)
            last_day = steps[-1].time if steps else 0
    return survival_steps([(s.time, s.survival) for s in steps], last_day=last_day)


@dataclass(frozen=True)
class ComparisonCells:
    """One site's line of the network comparison."""

    referred: Cell
    acceptance: Cell
    completion: Cell
    employment_6m: Cell
    positive_outcomes: Cell

    @property
    def rates(self) -> tuple[Cell, ...]:
        return (self.acceptance, self.completion, self.employment_6m, self.positive_outcomes)


def comparison_cells(ind: SiteComparison, *, aggregates_only: bool) -> ComparisonCells:
    def fig(value: Figure) -> Cell:
        return figure_cell(value, aggregates_only=aggregates_only)

    return ComparisonCells(
        referred=count_cell(ind.referrals.referred, aggregates_only=aggregates_only),
        acceptance=fig(ind.referrals.acceptance),
        completion=fig(ind.completion.completed),
        employment_6m=fig(ind.employment_6m.rate),
        positive_outcomes=fig(ind.positive_outcomes.rate),
    )
