"""Forms of the cohort pages."""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.accounts.enums import Role
from tremplin.accounts.models import User
from tremplin.organisations.enums import OrganisationKind
from tremplin.organisations.models import Organisation, Site
from tremplin.programmes.enums import CompetencyLevel
from tremplin.programmes.models import Programme
from tremplin.www.forms import DateInput, StyledForm, offer_sites, site_filter_field


class CohortFilterForm(StyledForm):
    """The cohort list's filter, in the query string: shown to those who see several sites."""

    site = site_filter_field()

    def __init__(self, *args: Any, sites: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_sites(self, sites)

    def filter(self, cohorts: Any) -> Any:
        """``cohorts`` of the chosen site; a wrong choice filters nothing and is shown in error."""
        site = self.cleaned_data.get("site") if self.is_valid() else None
        return cohorts.filter(site=site) if site else cohorts


class CohortForm(StyledForm):
    programme = forms.ModelChoiceField(
        label=_("Parcours"), queryset=Programme.objects.all(), empty_label=_("— Choisir —")
    )
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.none(), empty_label=_("— Choisir —")
    )
    name = forms.CharField(
        label=_("Nom de la promotion"),
        max_length=120,
        help_text=_("Par exemple « Promo janvier 2027 »."),
    )
    start_date = forms.DateField(label=_("Date de début"), widget=DateInput())
    end_date = forms.DateField(
        label=_("Date de fin"),
        widget=DateInput(),
        required=False,
        help_text=_("Laisser vide : la durée du parcours s'applique (4 mois par défaut)."),
    )
    capacity = forms.IntegerField(label=_("Capacité"), min_value=1, max_value=40, initial=12)
    trainers = forms.ModelMultipleChoiceField(
        label=_("Formateurs"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Les formateurs voient la promotion et évaluent les compétences."),
    )

    def __init__(self, *args: Any, sites: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]
        # Only the programmes of the sites' network: another network's id is refused.
        self.fields["programme"].queryset = Programme.objects.filter(  # type: ignore[attr-defined]
            network__in=sites.values("network_id")
        )
        if sites.count() == 1:
            self.fields["site"].initial = sites.first()
        self.fields["trainers"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            role=Role.TRAINER, is_active=True, site__in=sites
        ).order_by("last_name", "first_name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        site, trainers = data.get("site"), data.get("trainers") or []
        if site and any(trainer.site_id != site.pk for trainer in trainers):
            self.add_error("trainers", _("Choisissez des formateurs du site de la promotion."))
        if start and end and end <= start:
            self.add_error("end_date", _("La date de fin doit suivre la date de début."))
        return data


class EnrolForm(forms.Form):
    candidacy = forms.IntegerField(min_value=1)


class AssessmentForm(StyledForm):
    competency = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    level = forms.ChoiceField(label=_("Niveau"), choices=CompetencyLevel.choices)
    evidence = forms.CharField(label=_("Preuve / observation"), required=False, max_length=2000)
    assessed_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)

    def clean_assessed_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["assessed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("La date d'évaluation ne peut être dans le futur."))
        return day


class EndEnrolmentForm(StyledForm):
    transition = forms.SlugField(max_length=40)
    reason = forms.CharField(required=False, max_length=60)
    comment = forms.CharField(required=False, max_length=2000)
    ended_on = forms.DateField(label=_("Date de sortie"), widget=DateInput())


# A cohort's budget, in euros: 12 digits with 2 decimals (CohortFunding.amount).
MAX_AMOUNT = Decimal("9999999999.99")


def parse_euros(text: str) -> Decimal:
    """« 12 500,50 », « 12500.5 », « 60 000 € » → Decimal; a ValidationError in French else."""
    cleaned = text.strip().removesuffix("€").strip()
    for space in (" ", "\u00a0", "\u202f"):
        cleaned = cleaned.replace(space, "")
    cleaned = cleaned.replace(",", ".")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise forms.ValidationError(
            _("Saisissez un montant en euros, par exemple 12 500,50."), code="invalid"
        ) from None
    if not amount.is_finite():
        raise forms.ValidationError(_("Saisissez un montant en euros, par exemple 12 500,50."))
    if amount < 0:
        raise forms.ValidationError(_("Le montant ne peut être négatif."), code="negative")
    if amount > MAX_AMOUNT:
        raise forms.ValidationError(_("Ce montant est trop élevé."))
    if amount != amount.quantize(Decimal("0.01")):
        raise forms.ValidationError(_("Un montant a au plus deux décimales (les centimes)."))
    return amount.quantize(Decimal("0.01"))


class FundingForm(StyledForm):
    """One funder's share of a cohort's budget; a funder already listed is corrected."""

    funder = forms.ModelChoiceField(
        label=_("Financeur"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.FUNDER).order_by("name", "id"),
        empty_label=_("— Choisir —"),
        error_messages={"required": _("Choisissez un financeur.")},
    )
    amount = forms.CharField(
        label=_("Montant (€)"),
        max_length=30,
        help_text=_("En euros ; la virgule est acceptée : 12 500,50."),
        error_messages={"required": _("Saisissez le montant.")},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    reference = forms.CharField(
        label=_("Référence de la convention"), max_length=100, required=False
    )

    def clean_amount(self) -> Decimal:
        return parse_euros(self.cleaned_data["amount"])
