"""The trainee figures of the « bilan pédagogique et financier » (BPF, Cerfa 10443), cadre F.

One ``BpfTrainee`` per enrolment trained during the year, with the minutes it attended that
year; ``bpf`` counts them three ways, each fact in exactly one line of each table:

- F-1, by type of trainee (a to e); our learners are on line c (job seekers) or e (others);
- F-3, by general objective (RNCP title by level, Répertoire spécifique, CQP, other training,
  skills reviews, VAE);
- F-4, by speciality (NSF code), the five main ones, then « autres spécialités ».

A fact without an objective or a speciality lands on an explicit « non renseigné » line, never
dropped, so the three tables balance: same trainees, same hours. ``Bpf.balanced`` checks it.
Hours are kept in minutes (integers) so that the check is exact. Definitions and the source of
the lines: docs/indicators.md, « Bilan pédagogique et financier ».
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "BPF_CATEGORIES",
    "BPF_OBJECTIVES",
    "BPF_RNCP_LEVELS",
    "NOT_STATED",
    "Bpf",
    "BpfLine",
    "BpfTable",
    "BpfTrainee",
    "bpf",
    "rncp_level_line",
]

# F-1: a salariés d'employeurs privés hors apprentis, b apprentis, c personnes en recherche
# d'emploi formées par l'organisme, d particuliers à leurs propres frais, e autres stagiaires.
BPF_CATEGORIES: tuple[str, ...] = ("a", "b", "c", "d", "e")

# F-3, in the order of the form: a RNCP (with « dont » lines by level), b Répertoire spécifique,
# c CQP not registered, d other vocational training, e skills reviews, f VAE.
OBJECTIVE_RNCP = "rncp"
OBJECTIVE_RS = "rs"
OBJECTIVE_CQP = "cqp"
OBJECTIVE_OTHER = "other"
OBJECTIVE_SKILLS_REVIEW = "skills_review"
OBJECTIVE_VAE = "vae"
BPF_OBJECTIVES: tuple[str, ...] = (
    OBJECTIVE_RNCP,
    OBJECTIVE_RS,
    OBJECTIVE_CQP,
    OBJECTIVE_OTHER,
    OBJECTIVE_SKILLS_REVIEW,
    OBJECTIVE_VAE,
)

# The « dont » lines of F-3 a: levels 6 to 8 together, then 5, 4, 3, 2, a CQP without level;
# « level_unknown » holds an RNCP title whose level is not recorded (so the lines add up).
BPF_RNCP_LEVELS: tuple[str, ...] = (
    "level_6_8",
    "level_5",
    "level_4",
    "level_3",
    "level_2",
    "cqp_no_level",
    "level_unknown",
)

# The key of the « non renseigné » line of F-3 and F-4, and of F-4's « autres spécialités ».
NOT_STATED = "not_stated"
OTHER_SPECIALITIES = "other_specialities"
# The form lists the main specialities and gathers the rest on one line.
MAIN_SPECIALITIES = 5


def rncp_level_line(level: int | None, *, cqp: bool = False) -> str:
    """The « dont » line of F-3 a for an RNCP level (None: not recorded; ``cqp``: a CQP
    registered without a level)."""
    if level is None:
        return "cqp_no_level" if cqp else "level_unknown"
    if 6 <= level <= 8:
        return "level_6_8"
    if 2 <= level <= 5:
        return f"level_{level}"
    # Level 1 (basic skills) has no line on the form: recorded as unknown, not forced.
    return "level_unknown"


@dataclass(frozen=True, slots=True)
class BpfTrainee:
    """One enrolment trained during the year.

    ``category``: a ``BPF_CATEGORIES`` letter; ``objective``: a ``BPF_OBJECTIVES`` value, ""
    when not recorded; ``rncp_level``: 2 to 8 for an RNCP title, None otherwise or when not
    recorded; ``cqp_no_level``: an RNCP-registered CQP without a level; ``nsf_code``: the NSF
    speciality (e.g. "255"), "" when not recorded; ``minutes``: attended during the year.
    """

    category: str
    objective: str
    rncp_level: int | None
    nsf_code: str
    nsf_label: str
    minutes: int
    cqp_no_level: bool = False

    def __post_init__(self) -> None:
        if self.category not in BPF_CATEGORIES:
            raise ValueError(f"unknown trainee category: {self.category!r}")
        if self.objective and self.objective not in BPF_OBJECTIVES:
            raise ValueError(f"unknown objective: {self.objective!r}")
        if self.minutes < 0:
            raise ValueError(f"negative minutes: {self!r}")


def hours_of(minutes: int) -> Decimal:
    """Minutes as hours, to the hundredth (half up)."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class BpfLine:
    """One line of a table: its key, trainees and minutes. ``label`` is given for F-4 (the NSF
    label); ``detail`` marks a « dont » line, already counted in the line above it."""

    key: str
    trainees: int
    minutes: int
    label: str = ""
    detail: bool = False

    @property
    def hours(self) -> Decimal:
        return hours_of(self.minutes)


@dataclass(frozen=True, slots=True)
class BpfTable:
    lines: tuple[BpfLine, ...]
    total: BpfLine


@dataclass(frozen=True, slots=True)
class Bpf:
    trainees: int
    minutes: int
    f1: BpfTable
    f3: BpfTable
    f4: BpfTable

    @property
    def hours(self) -> Decimal:
        return hours_of(self.minutes)

    @property
    def balanced(self) -> bool:
        """The three tables count the same trainees and the same minutes as the facts."""
        return all(
            (table.total.trainees, table.total.minutes) == (self.trainees, self.minutes)
            for table in (self.f1, self.f3, self.f4)
        )


class _Tally:
    """Trainees and minutes per key, in the order keys are first given."""

    def __init__(self, keys: Iterable[str] = ()) -> None:
        self.counts: dict[str, list[int]] = {key: [0, 0] for key in keys}

    def add(self, key: str, minutes: int) -> None:
        cell = self.counts.setdefault(key, [0, 0])
        cell[0] += 1
        cell[1] += minutes

    def line(self, key: str, *, label: str = "", detail: bool = False) -> BpfLine:
        trainees, minutes = self.counts.get(key, [0, 0])
        return BpfLine(key, trainees, minutes, label=label, detail=detail)


def _total(lines: Iterable[BpfLine]) -> BpfLine:
    counted = [line for line in lines if not line.detail]
    return BpfLine(
        "total", sum(line.trainees for line in counted), sum(line.minutes for line in counted)
    )


def _f1(facts: list[BpfTrainee]) -> BpfTable:
    tally = _Tally(BPF_CATEGORIES)
    for fact in facts:
        tally.add(fact.category, fact.minutes)
    lines = tuple(tally.line(key) for key in BPF_CATEGORIES)
    return BpfTable(lines, _total(lines))


def _f3(facts: list[BpfTrainee]) -> BpfTable:
    objectives, levels = _Tally(BPF_OBJECTIVES), _Tally(BPF_RNCP_LEVELS)
    for fact in facts:
        objectives.add(fact.objective or NOT_STATED, fact.minutes)
        if fact.objective == OBJECTIVE_RNCP:
            levels.add(rncp_level_line(fact.rncp_level, cqp=fact.cqp_no_level), fact.minutes)
    lines: list[BpfLine] = []
    for key in BPF_OBJECTIVES:
        lines.append(objectives.line(key))
        if key == OBJECTIVE_RNCP:
            lines += [levels.line(level, detail=True) for level in BPF_RNCP_LEVELS]
    lines.append(objectives.line(NOT_STATED))
    return BpfTable(tuple(lines), _total(lines))


def _f4(facts: list[BpfTrainee]) -> BpfTable:
    tally, labels = _Tally(), dict[str, str]()
    for fact in facts:
        code = fact.nsf_code or NOT_STATED
        tally.add(code, fact.minutes)
        if fact.nsf_code:
            labels.setdefault(code, fact.nsf_label)
    specialities = sorted(
        (tally.line(code, label=labels[code]) for code in tally.counts if code != NOT_STATED),
        # The main ones: most hours, then most trainees, then by code for a stable order.
        key=lambda line: (-line.minutes, -line.trainees, line.key),
    )
    main, rest = specialities[:MAIN_SPECIALITIES], specialities[MAIN_SPECIALITIES:]
    others = BpfLine(
        OTHER_SPECIALITIES,
        sum(line.trainees for line in rest),
        sum(line.minutes for line in rest),
    )
    lines = (*main, others, tally.line(NOT_STATED))
    return BpfTable(lines, _total(lines))


def bpf(facts: Iterable[BpfTrainee]) -> Bpf:
    """The F-1, F-3 and F-4 tables of ``facts`` (one per enrolment trained in the year)."""
    rows = list(facts)
    return Bpf(
        trainees=len(rows),
        minutes=sum(fact.minutes for fact in rows),
        f1=_f1(rows),
        f3=_f3(rows),
        f4=_f4(rows),
    )
