"""Forms of the employer pages."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.employers.enums import ContractType, OpeningCloseReason, WorkingTime
from tremplin.employers.models import EmployerSite
from tremplin.employers.rome import PROGRAMME_ROME_CODES, rome_choices
from tremplin.organisations.enums import OrganisationKind
from tremplin.organisations.models import Organisation
from tremplin.programmes.models import Competency
from tremplin.www.forms import DateInput, StyledForm


class OpeningForm(StyledForm):
    employer = forms.ModelChoiceField(
        label=_("Employeur"), queryset=Organisation.objects.none(), empty_label=_("— Choisir —")
    )
    employer_site = forms.ModelChoiceField(
        label=_("Établissement"),
        queryset=EmployerSite.objects.none(),
        required=False,
        empty_label=_("— Aucun en particulier —"),
    )
    title = forms.CharField(label=_("Intitulé du poste"), max_length=200)
    rome_code = forms.ChoiceField(label=_("Métier (code ROME)"), choices=[])
    contract_type = forms.ChoiceField(
        label=_("Type de contrat"), choices=[("", _("— Choisir —")), *ContractType.choices]
    )
    commune = forms.CharField(label=_("Commune du poste"), max_length=120)
    postal_code = forms.RegexField(
        label=_("Code postal du poste"),
        regex=r"^\d{5}$",
        error_messages={"invalid": _("Un code postal a cinq chiffres.")},
        help_text=_("Il situe l'offre pour calculer le trajet des apprenants."),
    )
    working_time = forms.ChoiceField(
        label=_("Temps de travail"), choices=WorkingTime.choices, initial=WorkingTime.FULL
    )
    starts_on = forms.DateField(
        label=_("Prise de poste souhaitée"), required=False, widget=DateInput()
    )
    positions = forms.IntegerField(
        label=_("Nombre de postes"), min_value=1, max_value=500, initial=1
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    required_competencies = forms.ModelMultipleChoiceField(
        label=_("Compétences requises"),
        queryset=Competency.objects.select_related("block").order_by(
            "block__certification__title", "block__position", "position"
        ),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    desired_competencies = forms.ModelMultipleChoiceField(
        label=_("Compétences souhaitées"),
        queryset=Competency.objects.select_related("block").order_by(
            "block__certification__title", "block__position", "position"
        ),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args: Any, employer: Organisation | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        employers = Organisation.objects.filter(kind=OrganisationKind.EMPLOYER)
        if employer is not None:
            employers = employers.filter(pk=employer.pk)
            self.fields["employer"].initial = employer
            self.fields["employer_site"].queryset = EmployerSite.objects.filter(employer=employer)  # type: ignore[attr-defined]
        else:
            self.fields["employer_site"].queryset = EmployerSite.objects.select_related("employer")  # type: ignore[attr-defined]
        self.fields["employer"].queryset = employers  # type: ignore[attr-defined]
        self.fields["rome_code"].choices = [  # type: ignore[attr-defined]
            ("", _("— Choisir —")),
            *rome_choices(PROGRAMME_ROME_CODES),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        site, employer = data.get("employer_site"), data.get("employer")
        if site and employer and site.employer_id != employer.pk:
            self.add_error(
                "employer_site", _("Cet établissement n'appartient pas à l'employeur choisi.")
            )
        return data


class ProposeForm(StyledForm):
    enrolment = forms.IntegerField(min_value=1)
    note = forms.CharField(label=_("Mot pour l'employeur"), required=False, max_length=2000)


class ProposalDecisionForm(StyledForm):
    """One decision on a proposal; the fields a transition needs are checked by the service."""

    transition = forms.SlugField(max_length=40)
    reason = forms.CharField(required=False, max_length=60)
    comment = forms.CharField(required=False, max_length=2000)
    contract_type = forms.ChoiceField(
        label=_("Contrat signé"), required=False, choices=[("", "—"), *ContractType.choices]
    )
    contract_months = forms.IntegerField(
        label=_("Durée du CDD (mois)"), required=False, min_value=1, max_value=60
    )
    start_date = forms.DateField(label=_("Date d'embauche"), required=False, widget=DateInput())
    weekly_hours = forms.DecimalField(
        label=_("Heures par semaine"),
        required=False,
        min_value=1,
        max_value=48,
        max_digits=4,
        decimal_places=1,
        error_messages={
            "min_value": _("Les heures par semaine vont de 1 à 48."),
            "max_value": _("Les heures par semaine vont de 1 à 48."),
        },
    )
    immersion_start = forms.DateField(
        label=_("Début de l'immersion"), required=False, widget=DateInput()
    )
    immersion_end = forms.DateField(
        label=_("Fin de l'immersion"), required=False, widget=DateInput()
    )
    immersion_tutor = forms.CharField(label=_("Tuteur ou tutrice"), required=False, max_length=200)

    def clean_start_date(self) -> datetime.date | None:
        day: datetime.date | None = self.cleaned_data.get("start_date")
        if day and day < timezone.localdate() - datetime.timedelta(days=365):
            raise forms.ValidationError(_("La date d'embauche semble erronée."))
        return day


class OpeningCloseForm(StyledForm):
    reason = forms.ChoiceField(
        label=_("Motif de fermeture"),
        choices=OpeningCloseReason.choices,
        error_messages={
            "required": _("Choisissez un motif de fermeture."),
            "invalid_choice": _("Choisissez un motif de fermeture dans la liste."),
        },
    )
    comment = forms.CharField(label=_("Commentaire"), required=False, max_length=2000)
