"""A list of people sent by an advisor, from the upload to the candidacies it created.

The uploaded file is kept in the batch (database, never the web root) between the preview and
the confirmation, so nothing is uploaded twice; it is emptied once imported (the candidacies
hold the data from then on, and a list of people has no reason to linger).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.core.models import TaskProgress
from tremplin.organisations.models import Organisation

from .enums import FileFormat, ImportStatus, RowOutcome


class ImportBatch(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("déposé par"),
        on_delete=models.PROTECT,
        related_name="import_batches",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="import_batches",
    )
    cohort = models.ForeignKey(
        "cohorts.Cohort",
        verbose_name=_("promotion"),
        on_delete=models.PROTECT,
        related_name="import_batches",
    )
    filename = models.CharField(_("fichier"), max_length=200)
    file_format = models.CharField(_("format"), max_length=10, choices=FileFormat.choices)
    content = models.BinaryField(editable=False)
    size = models.PositiveIntegerField(_("taille (octets)"))
    sha256 = models.CharField(max_length=64, editable=False)
    status = models.CharField(
        _("statut"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    row_count = models.PositiveIntegerField(_("lignes"))
    invalid_count = models.PositiveIntegerField(_("lignes en erreur"))
    new_count = models.PositiveIntegerField(_("nouvelles candidatures"))
    duplicate_count = models.PositiveIntegerField(_("doublons"))
    # The preview: file-level facts, per-row problems (codes, worded at display) and the rows
    # that would be created; see tremplin.intake.analysis.Analysis.as_json.
    analysis = models.JSONField(default=dict, blank=True)
    created_count = models.PositiveIntegerField(_("candidatures créées"), default=0)
    progress = models.ForeignKey(
        TaskProgress, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.CharField(_("message"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    imported_at = models.DateTimeField(_("importé le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import d'orientations")
        verbose_name_plural = _("imports d'orientations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="imported", imported_at__isnull=False)
                | (~models.Q(status="imported") & models.Q(imported_at__isnull=True)),
                name="importbatch_imported_at_iff_imported",
            ),
            # All or nothing: a file with an invalid row is never imported.
            models.CheckConstraint(
                condition=models.Q(invalid_count=0) | models.Q(status="preview"),
                name="importbatch_only_valid_files_import",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    row_count__gte=models.F("invalid_count")
                    + models.F("new_count")
                    + models.F("duplicate_count")
                ),
                name="importbatch_counts_add_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filename} → {self.cohort}"

    @property
    def can_be_confirmed(self) -> bool:
        return self.status in (ImportStatus.PREVIEW, ImportStatus.FAILED) and (
            self.invalid_count == 0 and self.new_count > 0
        )


class ImportRow(models.Model):
    """What the import did with one valid row: the candidacy created, or why it was skipped."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField(_("ligne"))
    outcome = models.CharField(_("résultat"), max_length=20, choices=RowOutcome.choices)
    # The candidacy created, or the one the person already had for the cohort.
    candidacy = models.ForeignKey(
        "candidacies.Candidacy",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="import_rows",
    )
    duplicate_of_row = models.PositiveIntegerField(_("doublon de la ligne"), null=True, blank=True)

    class Meta:
        ordering = ["batch", "row_number"]
        verbose_name = _("ligne importée")
        constraints = [
            models.UniqueConstraint(fields=["batch", "row_number"], name="importrow_once"),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        outcome="duplicate_in_file",
                        candidacy__isnull=True,
                        duplicate_of_row__isnull=False,
                    )
                    | (
                        models.Q(outcome__in=["created", "already_referred"])
                        & models.Q(candidacy__isnull=False, duplicate_of_row__isnull=True)
                    )
                ),
                name="importrow_outcome_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.row_number} {self.outcome}"
