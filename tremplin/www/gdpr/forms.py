"""Forms of the rights pages: rectification (validated like the referral form), erasure."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.core.validators import refuse_nir
from tremplin.www.forms import DateInput, StyledForm


class RectifyForm(StyledForm):
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
        label=_("Adresse"), max_length=250, required=False, validators=[refuse_nir]
    )
    commune = forms.CharField(label=_("Commune de résidence"), max_length=120)
    postal_code = forms.RegexField(
        label=_("Code postal"),
        regex=r"^\d{5}$",
        error_messages={"invalid": _("Le code postal compte cinq chiffres.")},
    )

    def clean_first_name(self) -> str:
        return " ".join(str(self.cleaned_data["first_name"]).split())

    def clean_last_name(self) -> str:
        return " ".join(str(self.cleaned_data["last_name"]).split())

    def clean_birth_date(self) -> datetime.date:
        birth: datetime.date = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
        if age < 16 or age > 80:
            raise forms.ValidationError(
                _("La date de naissance semble erronée (âge de %(age)s ans)."), params={"age": age}
            )
        return birth

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("email", "phone", "address"):
            if name in data and data[name] is None:
                data[name] = ""
        return data


class EraseForm(StyledForm):
    confirm = forms.BooleanField(
        label=_(
            "Je confirme la demande d'effacement : l'anonymisation est définitive et ne peut "
            "pas être annulée."
        ),
        error_messages={"required": _("Cochez la case pour confirmer l'effacement.")},
    )
