"""The upload form of bulk referrals: the target cohort and the file."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tremplin.cohorts.models import Cohort
from tremplin.intake.messages import problem_text
from tremplin.intake.perms import importable_cohorts
from tremplin.www.candidacies.forms import CohortChoiceField, upcoming_cohorts
from tremplin.www.forms import StyledForm


class ImportForm(StyledForm):
    cohort = CohortChoiceField(
        label=_("Promotion visée"), queryset=Cohort.objects.none(), empty_label=_("— Choisir —")
    )
    file = forms.FileField(
        label=_("Fichier de la liste (.xlsx ou .csv)"),
        help_text=_(
            "Une ligne par personne, avec les colonnes du modèle. Rien n'est enregistré avant "
            "que vous ayez vérifié l'aperçu et confirmé."
        ),
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )

    def __init__(self, *args: Any, user: Any, too_large: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = importable_cohorts(  # type: ignore[attr-defined]
            user, upcoming_cohorts()
        )
        # The upload handler stopped receiving the file at the limit: there is no file to
        # require, only a reason to give.
        self.too_large = too_large
        if too_large:
            self.fields["file"].required = False

    def clean_file(self) -> tuple[str, bytes]:
        """The file's name and content (the upload handler has already capped its size)."""
        if self.too_large:
            limit_mb = settings.IMPORT_MAX_UPLOAD_BYTES // (1024 * 1024)
            raise forms.ValidationError(problem_text("too_large", {"limit_mb": limit_mb}))
        upload = self.cleaned_data["file"]
        return str(upload.name), upload.read()
