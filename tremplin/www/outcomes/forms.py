"""Forms for a follow-up: staff's entry and the former learner's answer through the link.

Consistency (employer only with work, hours 1–48...) is checked by the service, once, for
both; the forms only read the values.
"""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.core.validators import refuse_nir
from tremplin.outcomes.enums import WEEKLY_HOURS_MAX, WEEKLY_HOURS_MIN, Situation, WageBand
from tremplin.www.forms import DateInput, StyledForm

WORK_HELP = _("Seulement pour une situation d'emploi.")


class AnswerFields(StyledForm):
    """Situation and, for work, employer, hours and wage band."""

    situation = forms.ChoiceField(
        label=_("Situation"), choices=[("", _("— Choisir —")), *Situation.choices]
    )
    employer_name = forms.CharField(
        label=_("Employeur"),
        required=False,
        max_length=200,
        help_text=_("Obligatoire pour une situation d'emploi."),
    )
    weekly_hours = forms.IntegerField(
        label=_("Heures de travail par semaine"),
        required=False,
        help_text=WORK_HELP,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    wage_band = forms.ChoiceField(
        label=_("Salaire mensuel net"),
        required=False,
        choices=[("", _("— Choisir —")), *WageBand.choices],
        help_text=WORK_HELP,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        hours = self.fields["weekly_hours"].widget.attrs
        hours["min"], hours["max"] = WEEKLY_HOURS_MIN, WEEKLY_HOURS_MAX


class FollowUpForm(AnswerFields):
    recorded_on = forms.DateField(
        label=_("Date du point"), widget=DateInput(), initial=timezone.localdate
    )
    note = forms.CharField(
        label=_("Observations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[refuse_nir],
    )

    def clean_recorded_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["recorded_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("La date du point ne peut être dans le futur."))
        return day


class LearnerAnswerForm(AnswerFields):
    """The public form: the same questions in the learner's words, without « inconnue »."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        situation = self.fields["situation"]
        situation.label = _("Votre situation aujourd'hui")
        situation.choices = [  # type: ignore[attr-defined]
            ("", _("— Choisir —")),
            *((v, label) for v, label in Situation.choices if v != Situation.UNKNOWN),
        ]
        situation.help_text = _(
            "En emploi : choisissez votre type de contrat (CDI, CDD, intérim, alternance)."
        )
        self.fields["employer_name"].label = _("Votre employeur")
