"""Reads for the pages of an import: its preview (problems worded, rows) and its outcome."""

import datetime
from typing import Any

from tremplin.candidacies.perms import candidacies_for_user

from .messages import describe
from .models import ImportBatch


def preview_problems(batch: ImportBatch, *, limit: int) -> tuple[list[dict[str, Any]], int]:
    """The first ``limit`` problems worded in the active language, and how many more."""
    stored = batch.analysis.get("problems", [])
    shown = [describe(problem) for problem in stored[:limit]]
    return shown, batch.analysis.get("problem_count", len(stored)) - len(shown)


def preview_rows(batch: ImportBatch) -> tuple[list[dict[str, Any]], int]:
    """The valid rows the preview lists, and how many more it does not."""
    rows = [
        {**row, "birth_date": datetime.date.fromisoformat(row["birth_date"])}
        for row in batch.analysis.get("rows", [])
    ]
    return rows, batch.new_count + batch.duplicate_count - len(rows)


def import_outcomes(batch: ImportBatch, user: Any) -> list[dict[str, Any]]:
    """Each imported row with its candidacy, linked when ``user`` may see it (a person
    already referred by another agency is named, as the file named them, but not linked)."""
    rows = list(batch.rows.select_related("candidacy__person"))
    visible = set(
        candidacies_for_user(user)
        .filter(pk__in=[row.candidacy_id for row in rows if row.candidacy_id])
        .values_list("pk", flat=True)
    )
    return [{"row": row, "visible": row.candidacy_id in visible} for row in rows]
