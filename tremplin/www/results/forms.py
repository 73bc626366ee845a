"""The period of the public results: the last twelve months (default) or a calendar year."""

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tremplin.www.forms import StyledForm


class PeriodForm(StyledForm):
    annee = forms.TypedChoiceField(
        label=_("Promotions terminées"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", gettext("au cours des 12 derniers mois"))]
        choices += [(str(year), gettext("en %(year)s") % {"year": year}) for year in years]
        self.fields["annee"].choices = choices  # type: ignore[attr-defined]
        self.fields["annee"].error_messages["invalid_choice"] = gettext(
            "Aucune promotion terminée en « %(value)s » : les 12 derniers mois sont affichés."
        )

    def year(self) -> int | None:
        """The year asked for; None for the default window, or when the year is not valid."""
        if not self.is_bound or not self.is_valid():
            return None
        year: int | None = self.cleaned_data["annee"]
        return year
