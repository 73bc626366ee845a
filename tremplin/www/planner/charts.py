"""The lab occupation chart of the capacity page, drawn server-side as SVG (no script):
one group of bars per month, one bar per lab, the height its share of working half-days."""

from dataclasses import dataclass
from typing import Any

PLOT_HEIGHT = 200
BAR_WIDTH = 12
GROUP_GAP = 14
LEFT = 40
# Distinct fills for up to six labs; the data table names them too, colour is never alone.
FILLS = ("#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#d63384", "#20c997")


@dataclass(frozen=True)
class ChartBar:
    x: int
    y: int
    height: int
    fill: str
    title: str


@dataclass(frozen=True)
class ChartMonth:
    label: str
    x: int
    bars: list[ChartBar]


@dataclass(frozen=True)
class OccupationChart:
    labs: list[dict[str, str]]
    months: list[ChartMonth]
    width: int
    height: int
    plot_height: int
    ticks: list[dict[str, int]]


def occupation_chart(result: dict[str, Any]) -> OccupationChart:
    """``result["occupation"]``: ``{"labs": [{"id", "name"}], "months": [{"label",
    "values": [percent per lab]}]}`` (see tremplin/planner/capacity.py)."""
    occupation = result["occupation"]
    labs = [
        {"name": lab["name"], "fill": FILLS[i % len(FILLS)]}
        for i, lab in enumerate(occupation["labs"])
    ]
    group = BAR_WIDTH * max(len(labs), 1) + GROUP_GAP
    months = []
    for m, month in enumerate(occupation["months"]):
        x0 = LEFT + m * group
        bars = []
        for i, value in enumerate(month["values"]):
            height = round(PLOT_HEIGHT * min(max(float(value), 0.0), 100.0) / 100)
            bars.append(
                ChartBar(
                    x=x0 + i * BAR_WIDTH,
                    y=PLOT_HEIGHT - height,
                    height=height,
                    fill=labs[i]["fill"],
                    title=f"{labs[i]['name']} — {month['label']} : {value} %",
                )
            )
        months.append(ChartMonth(label=month["label"], x=x0, bars=bars))
    ticks = [{"value": v, "y": PLOT_HEIGHT - PLOT_HEIGHT * v // 100} for v in (0, 50, 100)]
    return OccupationChart(
        labs=labs,
        months=months,
        width=LEFT + group * max(len(months), 1),
        height=PLOT_HEIGHT + 30,
        plot_height=PLOT_HEIGHT,
        ticks=ticks,
    )
