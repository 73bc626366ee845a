"""Form for a follow-up."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.outcomes.enums import EMPLOYED_SITUATIONS, Situation
from tremplin.www.forms import DateInput, StyledForm


class FollowUpForm(StyledForm):
    situation = forms.ChoiceField(
        label=_("Situation"), choices=[("", _("— Choisir —")), *Situation.choices]
    )
    employer_name = forms.CharField(
        label=_("Employeur"),
        required=False,
        max_length=200,
        help_text=_("Obligatoire pour une situation d'emploi."),
    )
    recorded_on = forms.DateField(
        label=_("Date du point"), widget=DateInput(), initial=timezone.localdate
    )
    note = forms.CharField(
        label=_("Observations"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_recorded_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["recorded_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("La date du point ne peut être dans le futur."))
        return day

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if (
            data.get("situation") in EMPLOYED_SITUATIONS
            and not str(data.get("employer_name", "")).strip()
        ):
            self.add_error("employer_name", _("Indiquez l'employeur pour une situation d'emploi."))
        return data
