"""Forms of the eligibility pages; clean() returns domain types for the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tremplin.core.validators import refuse_nir
from tremplin.eligibility.models import Criterion
from tremplin.eligibility.proofs import MAX_PROOF_BYTES, ProofRejected, check_proof
from tremplin.eligibility.services import ProofUpload
from tremplin.www.forms import DateInput, StyledForm


class FieldSubset:
    """Some fields of a form, shaped like a form for the shared ``form_fields.html`` include."""

    def __init__(self, form: forms.BaseForm, names: list[str], with_errors: bool = True) -> None:
        self.form, self.names, self.with_errors = form, names, with_errors

    def visible_fields(self) -> list[forms.BoundField]:
        return [self.form[name] for name in self.names]

    def hidden_fields(self) -> list[forms.BoundField]:
        return []

    def non_field_errors(self) -> Any:
        return self.form.non_field_errors() if self.with_errors else []


class DiagnosticForm(StyledForm):
    """One checkbox, proof file and proof date per criterion of the catalogue, then the rest."""

    registered_with_france_travail = forms.BooleanField(
        label=_("La personne est inscrite à France Travail"), required=False
    )
    notes = forms.CharField(
        label=_("Observations"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[refuse_nir],
    )

    def __init__(
        self, *args: Any, criteria: list[Criterion], ticked: set[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            code = criterion.code
            self.fields[f"c_{code}"] = forms.BooleanField(
                label=_("Critère rempli"), required=False, initial=code in ticked
            )
            self.fields[f"proof_{code}"] = forms.FileField(
                label=_("Justificatif (PDF, JPEG ou PNG, 5 Mo au plus)"),
                required=False,
                widget=forms.ClearableFileInput(
                    attrs={"accept": "application/pdf,image/jpeg,image/png"}
                ),
            )
            self.fields[f"issued_{code}"] = forms.DateField(
                label=_("Date du justificatif"), required=False, widget=DateInput()
            )
        # StyledForm styled the fields present at its __init__: style the new ones too.
        for name, field in self.fields.items():
            if name.startswith(("c_", "proof_", "issued_")):
                widget = field.widget
                widget.attrs["class"] = (
                    "form-check-input"
                    if isinstance(widget, forms.CheckboxInput)
                    else "form-control"
                )
        self.uploads: dict[str, list[ProofUpload]] = {}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for criterion in self.criteria:
            code = criterion.code
            upload = cleaned.get(f"proof_{code}")
            if not upload:
                continue
            # The size first, from the upload's header: a huge file is never read into memory.
            if upload.size > MAX_PROOF_BYTES:
                self.add_error(
                    f"proof_{code}",
                    _("Le fichier « %(name)s » pèse %(size)s Mo : 5 Mo au plus.")
                    % {
                        "name": upload.name,
                        "size": f"{upload.size / 1024 / 1024:.1f}".replace(".", ","),
                    },
                )
                continue
            content = upload.read()
            try:
                check_proof(upload.name, content)
            except ProofRejected as error:
                self.add_error(f"proof_{code}", error.message)
                continue
            issued_on = cleaned.get(f"issued_{code}")
            if issued_on is None:
                if f"issued_{code}" not in self.errors:
                    self.add_error(f"issued_{code}", _("Indiquez la date du justificatif."))
                continue
            self.uploads[code] = [ProofUpload(upload.name, content, issued_on)]
        return cleaned

    def ticked(self) -> list[str]:
        return [c.code for c in self.criteria if self.cleaned_data.get(f"c_{c.code}")]


class DiagnosticDecisionForm(StyledForm):
    transition = forms.SlugField(max_length=40)
    reason = forms.CharField(label=_("Motif"), required=False, max_length=60)
    comment = forms.CharField(
        label=_("Commentaire"), required=False, max_length=2000, validators=[refuse_nir]
    )


class OverrideForm(forms.Form):
    """The override reason a coordinator may add to « Accepter » (the service checks it)."""

    override_reason = forms.CharField(required=False, max_length=2000, validators=[refuse_nir])
