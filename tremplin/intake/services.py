"""Writes of bulk referrals: upload a file (checked, nothing else written), confirm, import.

The import writes all or nothing in one transaction, every new row at once through the
referral service (``candidacy_create_many``, the rules of ``candidacy_create``), so an imported
person is found, refreshed or created, and refused twice for a cohort, exactly as when referred
one by one. Duplicates are skipped, never errors: a file imported twice creates nothing the
second time, and a file re-sent with a few new lines adds just those. A file with one invalid
row imports nothing until corrected.
"""

import hashlib
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tremplin.candidacies.services import (
    CandidacyError,
    DuplicateCandidacy,
    candidacy_create_many,
)
from tremplin.cohorts.models import Cohort
from tremplin.core.audit import audit
from tremplin.core.models import TaskProgress
from tremplin.core.progress import progress_fail, progress_finish, progress_start, progress_update
from tremplin.core.spreadsheets import csv_text
from tremplin.core.workflow import TransitionNotAllowed
from tremplin.engine.tabular import TabularError

from .analysis import Analysis, analyse
from .enums import FileFormat, ImportStatus, RowOutcome
from .messages import file_error_text
from .models import ImportBatch, ImportRow
from .workflow import import_workflow


class IntakeError(Exception):
    """A refused import; ``message`` is translated into the active language, for the page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _analyse(content: bytes, cohort: Cohort, **kwargs: Any) -> Analysis:
    try:
        return analyse(content, cohort, today=timezone.localdate(), **kwargs)
    except TabularError as error:
        raise IntakeError(file_error_text(error.problems)) from None


def import_batch_create(
    *, owner: Any, cohort: Cohort, filename: str, content: bytes
) -> ImportBatch:
    """Check an uploaded file and keep it for the preview; a file unreadable as a whole is
    refused with its reasons and nothing is written."""
    if cohort.start_date <= timezone.localdate():
        raise IntakeError(_("Cette promotion a déjà commencé : choisissez une promotion à venir."))
    analysis = _analyse(content, cohort)
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            owner=owner,
            organisation=owner.organisation,
            cohort=cohort,
            filename=filename[:200],
            file_format=FileFormat.XLSX if analysis.table.file_format == "xlsx" else FileFormat.CSV,
            # A file holding a social security number can never be imported (the row is
            # invalid): its bytes are not kept either, only the preview's problems.
            content=b"" if analysis.holds_nir else content,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            row_count=analysis.table.row_count,
            invalid_count=analysis.invalid_count,
            new_count=analysis.new_count,
            duplicate_count=analysis.duplicate_count,
            analysis=analysis.as_json(),
        )
        audit(
            actor=owner,
            action="import.upload",
            obj=batch,
            cohort=cohort.pk,
            rows=batch.row_count,
            invalid=batch.invalid_count,
        )
    return batch


def import_batch_confirm(*, batch: ImportBatch, by: Any) -> TaskProgress | None:
    """Start the import: in this request for a small file, else as a background task whose
    progress is returned. Either way the import itself runs ``import_batch_run``."""
    if batch.owner_id != by.pk:
        raise IntakeError(_("Seule la personne qui a déposé le fichier peut l'importer."))
    if batch.invalid_count:
        raise IntakeError(
            _(
                "Le fichier contient des lignes en erreur : corrigez-les puis déposez le fichier "
                "à nouveau. Rien n'a été importé."
            )
        )
    if batch.new_count == 0:
        raise IntakeError(
            _(
                "Aucune nouvelle candidature dans ce fichier : toutes les personnes sont déjà "
                "orientées vers cette promotion. Rien n'a été importé."
            )
        )
    try:
        with transaction.atomic():
            import_workflow.apply(batch, "start", by=by)
            audit(actor=by, action="import.start", obj=batch, rows=batch.row_count)
            if batch.row_count > settings.IMPORT_INLINE_MAX_ROWS:
                progress = progress_start(
                    owner=by,
                    kind="intake_import",
                    label=_("Import de %(file)s") % {"file": batch.filename},
                    enqueue=lambda pk: _enqueue(pk, batch.pk),
                )
                batch.progress = progress
                batch.save(update_fields=["progress"])
                return progress
    except TransitionNotAllowed as error:
        raise IntakeError(error.message) from None
    # A small file runs here, once the start is committed, so that a failure is recorded.
    import_batch_run(batch=batch, by=by)
    return None


def _enqueue(progress_id: int, batch_id: int) -> None:
    from .tasks import import_batch_task

    import_batch_task.enqueue(progress_id, batch_id)


def import_batch_run(
    *, batch: ImportBatch, by: Any, progress: TaskProgress | None = None
) -> ImportBatch:
    """Read the kept file again, check it, and write every new candidacy in one transaction.

    On a refusal (the file no longer passes, the cohort has started) nothing is written, the
    batch is marked failed with the reason, and ``IntakeError`` says it. The background task
    and the page (small files) both come here; so does ``bench/import.py``.
    """
    batch.refresh_from_db()  # the state and the kept file as committed, not as first read
    if batch.status != ImportStatus.IMPORTING:
        raise IntakeError(_("Cet import n'est pas en cours : confirmez-le depuis son aperçu."))
    try:
        _run(batch=batch, by=by, progress=progress)
    except (IntakeError, CandidacyError) as error:
        _fail(batch, by=by, progress=progress, message=error.message)
        raise IntakeError(error.message) from None
    except Exception as error:  # the page must show the failure rather than spin forever
        message = _("Erreur inattendue : %(error)s") % {"error": error}
        if _database_interrupted(error):
            message = _(
                "La base de données a interrompu l'import (connexion perdue ou conflit). "
                "Rien n'a été importé : relancez l'import."
            )
        _fail(batch, by=by, progress=progress, message=message)
        raise
    return batch


def _database_interrupted(error: Exception) -> bool:
    """The database broke the import off (connection lost, server restarted, deadlock): its
    transaction is gone, so nothing was written. A dead connection is replaced here, when no
    outer transaction holds it, so that the failure can be recorded."""
    if not isinstance(error, (OperationalError, InterfaceError)):
        return False
    if not connection.in_atomic_block:
        connection.close_if_unusable_or_obsolete()
    return True


def _fail(batch: ImportBatch, *, by: Any, progress: TaskProgress | None, message: str) -> None:
    with transaction.atomic():
        import_workflow.apply(
            batch, "fail", by=by, comment=message, extra_fields={"message": message[:300]}
        )
        audit(actor=by, action="import.fail", obj=batch, message=message)
    if progress is not None:
        progress_fail(progress, _("Échec de l'import : %(error)s") % {"error": message})


def fail_batch_of_lost_task(*, progress: TaskProgress, message: str, **kwargs: Any) -> None:
    """``core.reaper.task_lost`` receiver: the batch an interrupted import was writing goes
    back to « Échec de l'import », so it can be started again (its rows were rolled back)."""
    for batch in ImportBatch.objects.select_for_update().filter(
        progress=progress, status=ImportStatus.IMPORTING
    ):
        _fail(batch, by=None, progress=None, message=message)


def _run(*, batch: ImportBatch, by: Any, progress: TaskProgress | None) -> None:
    total = 2 * batch.row_count  # reading and checking the rows, then writing them

    def read(done: int) -> None:
        if progress is not None:
            progress_update(
                progress,
                done=done,
                total=total,
                message=_("Lecture et vérification : ligne %(n)s sur %(total)s")
                % {"n": done, "total": batch.row_count},
            )

    read(0)
    analysis = _analyse(bytes(batch.content), batch.cohort, on_progress=read)
    if analysis.invalid_count:
        raise IntakeError(
            _(
                "Le fichier ne passe plus les vérifications : déposez-le à nouveau. "
                "Rien n'a été importé."
            )
        )
    if progress is not None:
        # The writes become visible all at once, at the commit: the bar waits here till then.
        progress_update(
            progress,
            done=batch.row_count,
            total=total,
            message=ngettext(
                "Enregistrement de %(count)d candidature",
                "Enregistrement de %(count)d candidatures",
                analysis.new_count,
            )
            % {"count": analysis.new_count},
        )
    with transaction.atomic():
        rows = _write_candidacies(batch, analysis, by=by)
        created = sum(1 for row in rows if row.outcome == RowOutcome.CREATED)
        ImportRow.objects.bulk_create(rows, batch_size=1000)
        skipped = len(rows) - created
        import_workflow.apply(
            batch,
            "finish",
            by=by,
            extra_fields={
                "imported_at": timezone.now(),
                "created_count": created,
                "new_count": created,
                "duplicate_count": skipped,
                # The candidacies hold the people from now on: no copy of the list lingers.
                "content": b"",
                "analysis": {**batch.analysis, "rows": []},
                "message": "",
            },
        )
        audit(actor=by, action="import.finish", obj=batch, created=created, skipped=skipped)
    if progress is not None:
        progress_finish(
            progress,
            result_name=f"import-{batch.pk}-compte-rendu.csv",
            result_content=import_report_csv(batch),
            message=finished_message(batch),
        )


def _write_candidacies(batch: ImportBatch, analysis: Analysis, *, by: Any) -> list[ImportRow]:
    """Refer the new rows' people through the referral service, all at once and in the caller's
    transaction; the rows' outcomes, to be saved."""
    new = [plan for plan in analysis.planned if plan.outcome == RowOutcome.CREATED]
    written = candidacy_create_many(
        cohort=batch.cohort, people=[(plan.person, plan.motivation) for plan in new], by=by
    )
    outcomes = dict(zip((plan.number for plan in new), written, strict=True))
    rows: list[ImportRow] = []
    for plan in analysis.planned:
        candidacy_id = plan.existing_candidacy_id
        outcome = plan.outcome
        result = outcomes.get(plan.number)
        if isinstance(result, DuplicateCandidacy):
            # Referred by someone else since the preview: skipped like any duplicate.
            outcome, candidacy_id = RowOutcome.ALREADY_REFERRED, result.existing.pk
        elif result is not None:
            candidacy_id = result.pk
        rows.append(
            ImportRow(
                batch=batch,
                row_number=plan.number,
                outcome=outcome,
                candidacy_id=candidacy_id,
                duplicate_of_row=plan.duplicate_of,
            )
        )
    return rows


def finished_message(batch: ImportBatch) -> str:
    created = ngettext(
        "%(count)d candidature créée", "%(count)d candidatures créées", batch.created_count
    ) % {"count": batch.created_count}
    # French says « 0 doublon » where the catalogue's fallback rule (n != 1) would pluralise.
    skipped = (
        ngettext("%(count)d doublon ignoré", "%(count)d doublons ignorés", batch.duplicate_count)
        % {"count": batch.duplicate_count}
        if batch.duplicate_count
        else _("aucun doublon")
    )
    return f"{created}, {skipped}."


def import_report_csv(batch: ImportBatch) -> str:
    """Row by row, what the import did: for the advisor's records (formulas neutralised)."""
    header: list[object] = [
        _("ligne"),
        _("résultat"),
        _("candidature"),
        _("personne"),
        _("doublon de la ligne"),
    ]
    lines: list[list[object]] = [header]
    for row in batch.rows.select_related("candidacy__person").order_by("row_number"):
        person = row.candidacy.person.full_name if row.candidacy else ""
        lines.append(
            [
                row.row_number,
                row.get_outcome_display(),
                row.candidacy_id or "",
                person,
                row.duplicate_of_row or "",
            ]
        )
    return csv_text(lines)
