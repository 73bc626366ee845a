"""What the public « Nos résultats » pages show of each figure: the small-cell rule (issue 7
§3), and a complementary suppression so that no hidden cell can be worked out from a total and
the other cells (docs/indicators.md, « Page publique Nos résultats »).

Both pages (network and site) are built from the same ``NetworkResults`` and the same hidden
cells, so a number hidden on one page is not shown on the other.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tremplin.engine.indicators import Figure, suppressed
from tremplin.reports.results import NetworkResults, Results, SiteResults
from tremplin.www.reports.charts import BarChart, percent_bars
from tremplin.www.reports.indicators import no_data, percent, small_cell

# A cell: ("network", 0), ("site", id) or ("cohort", id).
Key = tuple[str, int]

NETWORK: Key = ("network", 0)


@dataclass(frozen=True)
class Metric:
    key: str
    label: str | Promise
    definition: str | Promise
    figure: Callable[[Results], Figure]

    def people(self, results: Results) -> int:
        """The population of the figure: the people it is about."""
        return self.figure(results).denominator


METRICS = (
    Metric(
        "satisfied",
        gettext_lazy("Taux de satisfaction"),
        gettext_lazy(
            "Personnes satisfaites (note moyenne de 4 ou 5 sur 5 à l'enquête de fin de "
            "formation), parmi celles qui ont répondu."
        ),
        lambda r: r.satisfied,
    ),
    Metric(
        "success",
        gettext_lazy("Taux de réussite à la certification"),
        gettext_lazy(
            "Personnes ayant obtenu la certification complète (tous ses blocs validés par le "
            "jury), parmi les personnes sorties de formation des promotions dont le jury a "
            "siégé ; un abandon compte comme un échec."
        ),
        lambda r: r.success,
    ),
    Metric(
        "employed",
        gettext_lazy("Taux d'insertion dans l'emploi à 6 mois"),
        gettext_lazy(
            "Personnes en emploi (CDI, CDD, intérim, alternance) six mois après leur sortie, "
            "parmi les personnes sorties depuis au moins six mois. Une situation inconnue compte "
            "comme « pas en emploi »."
        ),
        lambda r: r.employed,
    ),
    Metric(
        "dropped_out",
        gettext_lazy("Taux d'abandon"),
        gettext_lazy(
            "Personnes qui ont abandonné la formation, parmi les personnes sorties de "
            "formation (parcours terminé, abandon ou exclusion)."
        ),
        lambda r: r.dropped_out,
    ),
)


def _small(people: int) -> bool:
    return suppressed(people)


def _protect(cells: list[tuple[int, Key]], *, total_shown: bool) -> set[Key]:
    """Cells about fewer than 5 people; and when exactly one of them is hidden under a total
    that is shown, the next smallest cell too, so that no one can subtract their way to it."""
    hidden = {key for people, key in cells if _small(people)}
    if total_shown and len(hidden) == 1:
        others = sorted((people, key) for people, key in cells if key not in hidden and people)
        if others:
            hidden.add(others[0][1])
    return hidden


def hidden_cells(network: NetworkResults, people: Callable[[Results], int]) -> set[Key]:
    """The cells to hide for one metric, ``people`` giving the population of a cell."""
    hidden: set[Key] = {NETWORK} if _small(people(network.total)) else set()
    for site in network.sites:
        hidden |= _protect(
            [(people(c.results), ("cohort", c.cohort_id)) for c in site.cohorts],
            total_shown=not _small(people(site.total)),
        )
    hidden |= _protect(
        [(people(s.total), ("site", s.site_id)) for s in network.sites],
        total_shown=NETWORK not in hidden,
    )
    for site in network.sites:
        cohorts = [(people(c.results), ("cohort", c.cohort_id)) for c in site.cohorts]
        if ("site", site.site_id) in hidden and not any(key in hidden for _p, key in cohorts):
            # A hidden site total whose cohorts were all shown would be their sum.
            shown = sorted((p, key) for p, key in cohorts if p)
            if shown:
                hidden.add(shown[0][1])
    return hidden


@dataclass(frozen=True)
class Cell:
    """One figure as the public sees it."""

    key: str
    label: str
    definition: str
    value: str  # « 75 % », « pas de données », « moins de 5 personnes », « masqué »
    detail: str  # « 9 personnes sur 12 », empty when hidden or without data
    people: int | None  # the population, None when hidden
    bar: int | None  # whole percent, None when hidden or without data
    hidden: bool = False
    no_data: bool = False


def people_phrase(numerator: int, denominator: int) -> str:
    return ngettext(
        "%(numerator)s personne sur %(denominator)s",
        "%(numerator)s personnes sur %(denominator)s",
        numerator,
    ) % {"numerator": numerator, "denominator": denominator}


def masked() -> str:
    return _("masqué")


def figure_cell(metric: Metric, fig: Figure, *, key: Key, hidden: set[Key]) -> Cell:
    label, definition = str(metric.label), str(metric.definition)
    if fig.value is None:
        return Cell(metric.key, label, definition, no_data(), "", 0, None, no_data=True)
    if key in hidden:
        value = small_cell() if _small(fig.denominator) else masked()
        return Cell(metric.key, label, definition, value, "", None, None, hidden=True)
    return Cell(
        metric.key,
        label,
        definition,
        percent(fig.value),
        people_phrase(fig.numerator, fig.denominator),
        fig.denominator,
        round(fig.value * 100),
    )


@dataclass(frozen=True)
class Size:
    """How many people entered training in the cohorts of a line."""

    value: str
    hidden: bool


@dataclass(frozen=True)
class Line:
    """One line of a table: the network, a site or a cohort."""

    key: Key
    size: Size
    cells: list[Cell]


class Hidden:
    """The hidden cells of every metric (and of the cohort sizes) of one ``NetworkResults``."""

    def __init__(self, network: NetworkResults) -> None:
        self.by_metric = {m.key: hidden_cells(network, m.people) for m in METRICS}
        self.sizes = hidden_cells(network, lambda r: r.people)

    def line(self, key: Key, results: Results) -> Line:
        if key in self.sizes:
            size = Size(small_cell() if _small(results.people) else masked(), True)
        else:
            size = Size(str(results.people), False)
        cells = [
            figure_cell(m, m.figure(results), key=key, hidden=self.by_metric[m.key])
            for m in METRICS
        ]
        return Line(key, size, cells)


def site_key(site: SiteResults) -> Key:
    return ("site", site.site_id)


def chart(cells: Iterable[Cell]) -> BarChart:
    """Bars of the figures shown; hidden and empty ones draw no bar (the table says why)."""
    return percent_bars([(c.label, c.bar) for c in cells if c.bar is not None])
