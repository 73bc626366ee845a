"""Forms of the « Situation et santé » and « Consentements » pages.

The form reads the values and turns them into domain types; the service checks the rules
(RQTH date only with a RQTH, known codes, no NIR) once, for every caller.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tremplin.core.validators import refuse_nir
from tremplin.privacy.enums import Benefit, ConsentPurpose, Housing
from tremplin.privacy.models import SENSITIVE_FIELDS
from tremplin.privacy.services import TEXT_MAX_LENGTH
from tremplin.www.forms import DateInput, StyledForm

RQTH_CHOICES = [("", _("Non renseigné")), ("yes", _("Oui")), ("no", _("Non"))]
RQTH_VALUES = {"": None, "yes": True, "no": False}


def _text(name: str, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=SENSITIVE_FIELDS[name],
        required=False,
        max_length=TEXT_MAX_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[refuse_nir],
    )


class SensitiveProfileForm(StyledForm):
    rqth = forms.ChoiceField(
        label=SENSITIVE_FIELDS["rqth"],
        choices=RQTH_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    rqth_valid_until = forms.DateField(
        label=SENSITIVE_FIELDS["rqth_valid_until"], required=False, widget=DateInput()
    )
    health_restrictions = _text(
        "health_restrictions",
        _("Ce qu'il faut adapter (poste, horaires, port de charges…), pas le diagnostic."),
    )
    benefits = forms.MultipleChoiceField(
        label=SENSITIVE_FIELDS["benefits"],
        choices=Benefit.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    housing = forms.ChoiceField(
        label=SENSITIVE_FIELDS["housing"],
        choices=[("", _("— Non renseigné —")), *Housing.choices],
        required=False,
    )
    family_constraints = _text("family_constraints")
    social_worker = _text(
        "social_worker", _("La structure et, si la personne l'accepte, le nom du référent.")
    )
    notes = _text("notes")

    def __init__(self, *args: Any, consent_text: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if consent_text:
            # No consent yet: the coordinator records it with the data, on the person's word.
            self.fields["consent"] = forms.BooleanField(
                label=_("La personne a lu le texte ci-dessus et y consent."),
                error_messages={
                    "required": _(
                        "Sans le consentement de la personne, ces données ne sont pas enregistrées."
                    )
                },
            )
            self.fields["consent"].widget.attrs["class"] = "form-check-input"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("rqth_valid_until") and data.get("rqth") != "yes":
            self.add_error(
                "rqth_valid_until",
                _("Une date de validité de RQTH ne se saisit que si la personne a une RQTH."),
            )
        return data

    def domain_values(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "rqth": RQTH_VALUES[d["rqth"]],
            "rqth_valid_until": d["rqth_valid_until"],
            "health_restrictions": d["health_restrictions"],
            "benefits": d["benefits"],
            "housing": d["housing"],
            "family_constraints": d["family_constraints"],
            "social_worker": d["social_worker"],
            "notes": d["notes"],
        }


def initial_from(content: dict[str, Any]) -> dict[str, Any]:
    rqth = {None: "", True: "yes", False: "no"}[content["rqth"]]
    return content | {"rqth": rqth}


class ConsentForm(forms.Form):
    """The purpose of the consent given or withdrawn (the page's buttons)."""

    purpose = forms.ChoiceField(
        choices=[(p.value, p.label) for p in ConsentPurpose if p != ConsentPurpose.PROGRAMME]
    )
