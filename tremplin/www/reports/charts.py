"""Server-rendered SVG charts: no JavaScript library, readable without scripts."""

from dataclasses import dataclass

from tremplin.engine.indicators import Funnel


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    y: int
    width: int
    rate: str


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    height: int
    label_width: int
    bar_area: int


def funnel_bars(funnel: Funnel, *, bar_area: int = 420, row: int = 34) -> BarChart:
    largest = max((s.count for s in funnel.stages), default=0) or 1
    bars = [
        Bar(
            label=stage.label,
            count=stage.count,
            y=i * row,
            width=round(bar_area * stage.count / largest),
            rate="" if stage.rate_from_start is None else f"{round(stage.rate_from_start * 100)} %",
        )
        for i, stage in enumerate(funnel.stages)
    ]
    return BarChart(bars=bars, height=row * len(bars), label_width=170, bar_area=bar_area)


def count_bars(
    counts: list[tuple[str, int]], *, bar_area: int = 420, row: int = 34, label_width: int = 210
) -> BarChart:
    """Plain counts (already translated labels) as bars, drawn like the funnel's."""
    largest = max((count for _label, count in counts), default=0) or 1
    bars = [
        Bar(label=label, count=count, y=i * row, width=round(bar_area * count / largest), rate="")
        for i, (label, count) in enumerate(counts)
    ]
    return BarChart(bars=bars, height=row * len(bars), label_width=label_width, bar_area=bar_area)
