"""What importing a file into a cohort would do, read without writing anything.

The preview and the import itself both start here, so what the advisor saw is what is checked
again at the moment of writing: the file's rows read and checked by the engine, then each valid
row sorted into new referral, duplicate of an earlier row of the file, or person already
referred to this cohort (the same identity key the referral service recognises people by).
"""

import dataclasses
import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings

from tremplin.candidacies.models import Candidacy
from tremplin.candidacies.services import PersonData
from tremplin.cohorts.models import Cohort
from tremplin.engine.tabular import Limits, Problem, Row, Table, read_table
from tremplin.people.models import Person, identity_key

from .columns import MOTIVATION, columns
from .enums import RowOutcome

# SQLite caps the parameters of one query; look keys up in slices below it.
_LOOKUP_SLICE = 500
# Rows the preview lists by name; the counts cover the rest.
PREVIEW_ROWS = 500
_PERSON_FIELDS = tuple(f.name for f in dataclasses.fields(PersonData))


def limits() -> Limits:
    return Limits(
        max_bytes=settings.IMPORT_MAX_UPLOAD_BYTES,
        max_rows=settings.IMPORT_MAX_ROWS,
    )


@dataclasses.dataclass
class PlannedRow:
    number: int
    person: PersonData
    motivation: str
    key: str
    outcome: str
    known_person: bool = False
    duplicate_of: int | None = None
    existing_candidacy_id: int | None = None


@dataclasses.dataclass
class Analysis:
    table: Table
    planned: list[PlannedRow]

    @property
    def new_count(self) -> int:
        return sum(1 for p in self.planned if p.outcome == RowOutcome.CREATED)

    @property
    def duplicate_count(self) -> int:
        return len(self.planned) - self.new_count

    @property
    def invalid_count(self) -> int:
        return len(self.table.invalid_rows)

    @property
    def holds_nir(self) -> bool:
        """A cell holds a social security number (then the file must not be kept)."""
        return self.table.holds_nir

    def as_json(self) -> dict[str, Any]:
        t = self.table
        return {
            "encoding": t.encoding,
            "delimiter": t.delimiter,
            "columns": t.columns,
            "problems": [_problem_json(p) for p in t.problems],
            "problem_count": t.problem_count,
            "rows": [
                {
                    "row": p.number,
                    "name": f"{p.person.first_name} {p.person.last_name.upper()}",
                    "birth_date": p.person.birth_date.isoformat(),
                    "commune": f"{p.person.postal_code} {p.person.commune}",
                    "outcome": p.outcome,
                    "known_person": p.known_person,
                    "duplicate_of": p.duplicate_of,
                }
                for p in self.planned[:PREVIEW_ROWS]
            ],
        }


def _problem_json(problem: Problem) -> dict[str, Any]:
    return {
        "row": problem.row,
        "column": problem.column,
        "code": problem.code,
        "params": problem.params,
    }


def _person(row: Row) -> tuple[PersonData, str]:
    values = row.values
    data: dict[str, Any] = {name: values[name] for name in _PERSON_FIELDS}
    return PersonData(**data), str(values.get(MOTIVATION) or "")


def _slices(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), _LOOKUP_SLICE):
        yield items[start : start + _LOOKUP_SLICE]


def analyse(
    content: bytes,
    cohort: Cohort,
    *,
    today: datetime.date,
    on_progress: Callable[[int], None] | None = None,
) -> Analysis:
    """Read and check ``content``; ``TabularError`` if the file cannot be read as a whole."""
    table = read_table(content, columns(), today=today, limits=limits(), on_progress=on_progress)
    planned: list[PlannedRow] = []
    first_row: dict[str, int] = {}
    for row in table.rows:
        person, motivation = _person(row)
        key = identity_key(person.first_name, person.last_name, person.birth_date)
        first = first_row.setdefault(key, row.number)
        planned.append(
            PlannedRow(
                number=row.number,
                person=person,
                motivation=motivation,
                key=key,
                outcome=RowOutcome.CREATED if first == row.number else RowOutcome.DUPLICATE_IN_FILE,
                duplicate_of=None if first == row.number else first,
            )
        )
    keys = list(first_row)
    referred: dict[str, int] = {}
    known: set[str] = set()
    for part in _slices(keys):
        referred.update(
            Candidacy.objects.filter(cohort=cohort, person__identity_key__in=part).values_list(
                "person__identity_key", "pk"
            )
        )
        known.update(
            Person.objects.filter(identity_key__in=part).values_list("identity_key", flat=True)
        )
    for plan in planned:
        plan.known_person = plan.key in known
        if plan.outcome == RowOutcome.CREATED and plan.key in referred:
            plan.outcome = RowOutcome.ALREADY_REFERRED
            plan.existing_candidacy_id = referred[plan.key]
    return Analysis(table=table, planned=planned)
