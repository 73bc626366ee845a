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


def percent_bars(
    shares: list[tuple[str, int]], *, bar_area: int = 420, row: int = 34, label_width: int = 230
) -> BarChart:
    """Shares in whole percent, on a 0–100 % scale so that bars of different charts compare."""
    bars = [
        Bar(label=label, count=share, y=i * row, width=round(bar_area * share / 100), rate="")
        for i, (label, share) in enumerate(shares)
    ]
    return BarChart(bars=bars, height=row * len(bars), label_width=label_width, bar_area=bar_area)


@dataclass(frozen=True)
class StepChart:
    """A Kaplan–Meier curve as an SVG path: x in days, y the share still looking (top = 100 %)."""

    path: str
    width: int
    height: int
    max_days: int
    # (x, label) ticks along the time axis.
    ticks: list[tuple[int, int]]


def survival_steps(
    steps: list[tuple[int, float]], *, last_day: int, width: int = 480, height: int = 200
) -> StepChart:
    """``steps``: (day, share still looking just after it); the curve starts at 100 % on day 0
    and holds its last value up to ``last_day`` (the longest follow-up), as the estimator does."""
    max_days = max([last_day, *(day for day, _s in steps), 1])

    def x(day: int) -> int:
        return round(width * day / max_days)

    def y(share: float) -> int:
        return round(height * (1 - share))

    parts = [f"M0,{y(1.0)}"]
    for day, share in steps:
        # A step: flat until the event day, then straight down to the new share.
        parts.append(f"H{x(day)} V{y(share)}")
    parts.append(f"H{x(max_days)}")
    ticks = [(x(round(max_days * i / 4)), round(max_days * i / 4)) for i in range(5)]
    return StepChart(
        path=" ".join(parts), width=width, height=height, max_days=max_days, ticks=ticks
    )
