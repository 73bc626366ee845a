"""Forms of the candidacy pages; clean() returns domain types for the services."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tremplin.candidacies.enums import CandidacySource, CandidacyStatus
from tremplin.candidacies.services import PersonData
from tremplin.cohorts.models import Cohort
from tremplin.core.validators import refuse_nir
from tremplin.engine.people_matching import Identity
from tremplin.people.enums import Diploma, Mobility, Sex
from tremplin.people.models import Person
from tremplin.people.selectors import ReferralDuplicates, person_search
from tremplin.www.forms import DateInput, StyledForm, offer_sites, site_filter_field


def upcoming_cohorts() -> Any:
    return (
        Cohort.objects.filter(start_date__gt=timezone.localdate())
        .select_related("site", "programme")
        .order_by("start_date", "id")
    )


class CohortChoiceField(forms.ModelChoiceField[Cohort]):
    def label_from_instance(self, obj: Cohort) -> str:
        return gettext("%(cohort)s — %(site)s (début le %(start)s)") % {
            "cohort": obj.name,
            "site": obj.site.name,
            "start": f"{obj.start_date:%d/%m/%Y}",
        }


class PersonIdentityForm(StyledForm):
    """Who a person is and where they live: what a referral asks and a rectification
    corrects (www.gdpr), validated alike."""

    first_name = forms.CharField(label=_("Prénom"), max_length=80)
    last_name = forms.CharField(label=_("Nom"), max_length=80)
    birth_date = forms.DateField(label=_("Date de naissance"), widget=DateInput())
    email = forms.EmailField(label=_("Adresse électronique"), required=False)
    phone = forms.RegexField(
        label=_("Téléphone"),
        required=False,
        regex=r"^\+?[0-9 .]{10,17}$",
        validators=[refuse_nir],
        error_messages={
            "invalid": _("Saisissez un numéro de téléphone valide, par exemple 06 12 34 56 78.")
        },
    )
    address = forms.CharField(
        label=_("Adresse"),
        max_length=250,
        required=False,
        validators=[refuse_nir],
        help_text=_(
            "Numéro et voie : elle sert à savoir si la personne habite un quartier prioritaire."
        ),
    )
    commune = forms.CharField(label=_("Commune de résidence"), max_length=120)
    postal_code = forms.RegexField(
        label=_("Code postal"),
        regex=r"^\d{5}$",
        error_messages={"invalid": _("Le code postal compte cinq chiffres.")},
    )

    def clean_birth_date(self) -> datetime.date:
        birth: datetime.date = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
        if age < 16 or age > 80:
            raise forms.ValidationError(
                _("La date de naissance semble erronée (âge de %(age)s ans)."), params={"age": age}
            )
        return birth

    def clean_first_name(self) -> str:
        return " ".join(str(self.cleaned_data["first_name"]).split())

    def clean_last_name(self) -> str:
        return " ".join(str(self.cleaned_data["last_name"]).split())


class ReferralForm(PersonIdentityForm):
    # The cohort first, then who the person is, then the facts selection relies on.
    field_order = ["cohort"]

    cohort = CohortChoiceField(
        label=_("Promotion visée"), queryset=Cohort.objects.none(), empty_label=_("— Choisir —")
    )
    job_seeker_since = forms.DateField(
        label=_("Inscrit·e à France Travail depuis"),
        required=False,
        widget=DateInput(),
        help_text=_("Laisser vide si la personne n'est pas inscrite."),
    )
    receives_rsa = forms.BooleanField(label=_("Bénéficiaire du RSA"), required=False)
    qpv_declared = forms.BooleanField(
        label=_("Réside dans un quartier prioritaire (QPV)"), required=False
    )
    highest_diploma = forms.ChoiceField(
        label=_("Diplôme le plus élevé"), choices=[("", _("— Choisir —")), *Diploma.choices]
    )
    sex = forms.ChoiceField(
        label=_("Sexe"),
        choices=[("", _("Non précisé")), *Sex.choices],
        required=False,
        help_text=_("Facultatif : sert seulement aux statistiques du public accueilli."),
    )
    has_driving_licence = forms.BooleanField(label=_("Titulaire du permis B"), required=False)
    mobility = forms.ChoiceField(
        label=_("Mobilité"), choices=[("", _("— Choisir —")), *Mobility.choices]
    )
    motivation = forms.CharField(
        label=_("Motivation et projet professionnel"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        validators=[refuse_nir],
    )
    consent_programme = forms.BooleanField(
        label=_("La personne consent au partage de ses données avec le programme"),
        error_messages={
            "required": _("Le consentement de la personne est nécessaire pour l'orienter.")
        },
    )
    consent_employers = forms.BooleanField(
        label=_("La personne accepte que son profil soit transmis aux employeurs partenaires"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = upcoming_cohorts()  # type: ignore[attr-defined]

    def clean_job_seeker_since(self) -> datetime.date | None:
        since: datetime.date | None = self.cleaned_data.get("job_seeker_since")
        if since and since > timezone.localdate():
            raise forms.ValidationError(_("La date d'inscription ne peut être dans le futur."))
        return since

    def person_data(self) -> PersonData:
        d = self.cleaned_data
        return PersonData(
            first_name=d["first_name"],
            last_name=d["last_name"],
            birth_date=d["birth_date"],
            email=d["email"],
            phone=d["phone"],
            commune=d["commune"],
            postal_code=d["postal_code"],
            job_seeker_since=d["job_seeker_since"],
            receives_rsa=d["receives_rsa"],
            qpv_declared=d["qpv_declared"],
            highest_diploma=d["highest_diploma"],
            has_driving_licence=d["has_driving_licence"],
            mobility=d["mobility"],
            consent_programme=d["consent_programme"],
            consent_employers=d["consent_employers"],
            address=d["address"].strip(),
            sex=d["sex"],
        )

    def identity(self) -> Identity:
        d = self.cleaned_data
        return Identity(
            first_name=d["first_name"],
            last_name=d["last_name"],
            birth_date=d["birth_date"],
            email=d["email"],
            phone=d["phone"],
        )


class DuplicateChoiceForm(StyledForm):
    """The referrer's answer when the person may already be known: which one, or nobody.

    Only the people the referrer may see are offered; any other value is refused, so a forged
    id never reaches the service.
    """

    person_choice = forms.ChoiceField(
        label=_("Cette personne est-elle déjà connue ?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _(
                "Indiquez s'il s'agit d'une personne déjà connue ou d'une autre personne."
            ),
            "invalid_choice": _(
                "Choisissez une des personnes proposées ou « c'est une autre personne »."
            ),
        },
    )

    def __init__(self, *args: Any, duplicates: ReferralDuplicates, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.duplicates = duplicates
        self.fields["person_choice"].choices = [  # type: ignore[attr-defined]
            *((str(m.person.pk), m.person.full_name) for m in duplicates.visible),
            ("new", gettext("C'est une autre personne")),
        ]

    def clean_person_choice(self) -> Person | None:
        return self.duplicates.pick(self.cleaned_data["person_choice"])


# How the list of candidacies may be sorted: (label, ordering), each ending with a unique key.
SORTS = {
    "recentes": (_("Plus récentes d'abord"), ("-created_at", "-id")),
    "anciennes": (_("Plus anciennes d'abord"), ("created_at", "id")),
    "nom": (_("Nom"), ("person__last_name", "person__first_name", "id")),
    "promotion": (_("Promotion"), ("cohort__start_date", "cohort__name", "-created_at", "-id")),
    "statut": (_("Statut"), ("status", "-created_at", "-id")),
}


def _an_id(value: str) -> bool:
    """Whether a query-string value can be a row id (a wrong one is refused by the field)."""
    return value.isdigit() and len(value) < 19


class CandidacyFilterForm(StyledForm):
    """The filters of the candidacy list, in the query string; an empty field filters nothing."""

    q = forms.CharField(
        label=_("Rechercher"),
        required=False,
        max_length=100,
        help_text=_("Nom, adresse électronique ou téléphone"),
    )
    statut = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=[("", _("Tous les statuts")), *CandidacyStatus.choices],
    )
    promotion = forms.ModelChoiceField[Cohort](
        label=_("Promotion"),
        required=False,
        queryset=Cohort.objects.none(),
        empty_label=_("Toutes les promotions"),
    )
    origine = forms.ChoiceField(
        label=_("Origine"),
        required=False,
        choices=[("", _("Toutes les origines")), *CandidacySource.choices],
    )
    du = forms.DateField(label=_("Depuis le"), required=False, widget=DateInput())
    au = forms.DateField(label=_("Jusqu'au"), required=False, widget=DateInput())
    tri = forms.ChoiceField(
        label=_("Trier par"),
        required=False,
        choices=[(key, label) for key, (label, _order) in SORTS.items()],
    )

    site = site_filter_field()
    field_order = ["q", "statut", "site", "promotion"]

    def __init__(self, *args: Any, cohorts: Any, sites: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        promotion = self.fields["promotion"]
        promotion.queryset = cohorts  # type: ignore[attr-defined]
        if not offer_sites(self, sites):
            return
        # A network holds thousands of cohorts: the list offers those of the chosen site
        # (any visible cohort stays a valid choice, so links to one keep working).
        # Read from the raw data: a bound field would freeze the help text before it is set.
        site, chosen = (str(self.data.get(self.add_prefix(n)) or "") for n in ("site", "promotion"))
        offered = cohorts.filter(site_id=site) if _an_id(site) else cohorts.none()
        if not _an_id(site):
            promotion.help_text = _("Choisissez un site pour lister ses promotions.")
        if _an_id(chosen):
            offered = offered | cohorts.filter(pk=chosen)
        promotion.widget.choices = [
            ("", promotion.empty_label),  # type: ignore[attr-defined]
            *((c.pk, promotion.label_from_instance(c)) for c in offered),  # type: ignore[attr-defined]
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("du"), cleaned.get("au")
        if start and end and start > end:
            self.add_error("au", _("La date de fin doit suivre la date de début."))
        return cleaned

    def filter(self, qs: Any) -> Any:
        """``qs`` narrowed by the valid filters (a wrong field is ignored, and shown in error)."""
        d = self.cleaned_data if self.is_bound else {}
        if d.get("q"):
            qs = qs.filter(person_search(d["q"], prefix="person__"))
        if d.get("promotion"):
            qs = qs.filter(cohort=d["promotion"])
        if d.get("site"):
            qs = qs.filter(cohort__site=d["site"])
        if d.get("origine"):
            qs = qs.filter(source=d["origine"])
        if d.get("du"):
            qs = qs.filter(created_at__date__gte=d["du"])
        if d.get("au"):
            qs = qs.filter(created_at__date__lte=d["au"])
        return qs

    def ordering(self) -> tuple[str, ...]:
        key = (self.cleaned_data.get("tri") if self.is_bound else "") or "recentes"
        return SORTS[key][1]


class PublicApplicationForm(ReferralForm):
    """The same facts, asked of the person themself."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["consent_programme"].label = _(
            "J'accepte que mes données soient transmises à l'équipe du programme"
        )
        self.fields["consent_employers"].label = _(
            "J'accepte que mon profil soit transmis aux employeurs partenaires"
        )
        self.fields["motivation"].label = _("Pourquoi cette formation ? (facultatif)")


class TransitionForm(StyledForm):
    """A decision on a lifecycle object; the service checks the transition and its reason."""

    transition = forms.SlugField(max_length=40)
    reason = forms.CharField(label=_("Motif"), required=False, max_length=60)
    comment = forms.CharField(
        label=_("Commentaire"), required=False, max_length=2000, validators=[refuse_nir]
    )
