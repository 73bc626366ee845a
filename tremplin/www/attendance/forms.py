"""Forms of the attendance pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tremplin.attendance.enums import Presence
from tremplin.core.validators import refuse_nir
from tremplin.www.forms import StyledFormMixin


class AbsenceForm(StyledFormMixin, forms.Form):
    justification = forms.CharField(
        label=_("Justificatif (si l'absence est justifiée)"),
        max_length=300,
        required=False,
        validators=[refuse_nir],
    )


class CorrectionForm(StyledFormMixin, forms.Form):
    presence = forms.ChoiceField(label=_("Présence"), choices=Presence.choices)
    minutes_late = forms.IntegerField(
        label=_("Minutes de retard"), min_value=1, max_value=300, required=False
    )
    justification = forms.CharField(
        label=_("Justificatif de l'absence"),
        max_length=300,
        required=False,
        validators=[refuse_nir],
    )
    reason = forms.CharField(label=_("Motif de la rectification"), max_length=300)


class AlertHandleForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Suite donnée"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[refuse_nir],
    )
