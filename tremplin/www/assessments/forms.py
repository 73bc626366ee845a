"""Forms of the assessment pages."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tremplin.assessments.enums import PositioningDecision, PositioningMethod
from tremplin.assessments.photos import MAX_PHOTO_BYTES, check_photo
from tremplin.core.uploads import UploadRejected, megabytes
from tremplin.core.validators import refuse_nir
from tremplin.programmes.models import Competency
from tremplin.www.forms import DateInput, StyledForm


class PositioningForm(StyledForm):
    method = forms.ChoiceField(label=_("Modalité"), choices=PositioningMethod.choices)
    held_on = forms.DateField(label=_("Date du positionnement"), widget=DateInput())
    score = forms.IntegerField(
        label=_("Score (sur 100)"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("Pour un test ; laisser vide après un entretien."),
    )
    result = forms.CharField(
        label=_("Résultat"),
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[refuse_nir],
        help_text=_("Niveau constaté, points forts, points à travailler."),
    )
    decision = forms.ChoiceField(label=_("Décision"), choices=PositioningDecision.choices)
    decision_note = forms.CharField(
        label=_("Précisions sur la décision"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        validators=[refuse_nir],
        help_text=_("Obligatoire sauf pour le parcours standard."),
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class EvaluationForm(StyledForm):
    competency = forms.ModelChoiceField(
        label=_("Compétence"), queryset=Competency.objects.none(), empty_label=_("— Choisir —")
    )
    title = forms.CharField(label=_("Intitulé de l'évaluation"), max_length=200)
    held_on = forms.DateField(label=_("Date de l'évaluation"), widget=DateInput())
    criteria_met = forms.CharField(
        label=_("Critères atteints"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Un critère par ligne."),
    )
    criteria_not_met = forms.CharField(
        label=_("Critères non atteints"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Un critère par ligne."),
    )
    passed = forms.TypedChoiceField(
        label=_("Résultat"),
        choices=[("", _("— Choisir —")), ("1", _("Réussie")), ("0", _("Pas encore"))],
        coerce=lambda v: v == "1",
    )
    evidence = forms.CharField(
        label=_("Preuve / observation"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        validators=[refuse_nir],
        help_text=_("Obligatoire pour une évaluation réussie : mesures, constats."),
    )
    photo = forms.FileField(
        label=_("Photo (facultative)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
        help_text=_("Une photo JPEG ou PNG de la réalisation, 5 Mo au plus."),
    )

    def __init__(self, *args: Any, competencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = competencies  # type: ignore[attr-defined]
        self.photo_upload: tuple[str, bytes] | None = None

    def clean_photo(self) -> Any:
        upload = self.cleaned_data.get("photo")
        if not upload:
            return upload
        # The size first, from the upload's header: a huge file is never read into memory.
        if upload.size > MAX_PHOTO_BYTES:
            raise forms.ValidationError(
                _("La photo « %(name)s » pèse %(size)s Mo : 5 Mo au plus.")
                % {"name": upload.name, "size": megabytes(upload.size)}
            )
        content = upload.read()
        try:
            check_photo(upload.name, content)
        except UploadRejected as error:
            raise forms.ValidationError(error.message) from None
        self.photo_upload = (upload.name, content)
        return upload

    def criteria(self) -> list[tuple[str, bool]]:
        met = [(label, True) for label in _lines(self.cleaned_data["criteria_met"])]
        not_met = [(label, False) for label in _lines(self.cleaned_data["criteria_not_met"])]
        return met + not_met
