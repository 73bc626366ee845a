"""The survey results chart: one bar per question, its length the mean on the 1–5 scale."""

from dataclasses import dataclass

from tremplin.quality.selectors import QuestionResult


@dataclass(frozen=True)
class MeanBar:
    label: str
    mean: str
    y: int
    width: int


@dataclass(frozen=True)
class MeanChart:
    bars: list[MeanBar]
    height: int
    label_width: int
    bar_area: int


def mean_bars(results: list[QuestionResult], *, bar_area: int = 300, row: int = 34) -> MeanChart:
    bars = [
        MeanBar(
            label=r.question.code,
            mean="—" if r.summary.mean is None else f"{r.summary.mean:.1f}".replace(".", ","),
            y=i * row,
            width=0 if r.summary.mean is None else round(bar_area * r.summary.mean / 5),
        )
        for i, r in enumerate(results)
    ]
    return MeanChart(bars=bars, height=row * len(bars), label_width=140, bar_area=bar_area)
