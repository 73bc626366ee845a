"""The dashboard filters: cohorts started between two dates, of a programme, and one track."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tremplin.organisations.models import Site
from tremplin.programmes.models import Programme, Track
from tremplin.reports.selectors import IndicatorFilters
from tremplin.www.forms import DateInput, StyledForm


class TrackChoiceField(forms.ModelChoiceField[Track]):
    def label_from_instance(self, obj: Track) -> str:
        return f"{obj.programme.name} — {obj.get_kind_display()}"


class IndicatorFilterForm(StyledForm):
    start_from = forms.DateField(
        label=_("Promotions commencées à partir du"), required=False, widget=DateInput()
    )
    start_to = forms.DateField(label=_("jusqu'au"), required=False, widget=DateInput())
    programme = forms.ModelChoiceField[Programme](
        label=_("Parcours"),
        required=False,
        queryset=Programme.objects.none(),
        empty_label=_("Tous"),
    )
    track = TrackChoiceField(
        label=_("Filière"), required=False, queryset=Track.objects.none(), empty_label=_("Toutes")
    )

    def __init__(self, *args: Any, site: Site, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = (  # type: ignore[attr-defined]
            Programme.objects.filter(cohorts__site=site).distinct().order_by("name", "id")
        )
        self.fields["track"].queryset = (  # type: ignore[attr-defined]
            Track.objects.filter(programme__cohorts__site=site)
            .select_related("programme")
            .distinct()
            .order_by("programme__name", "kind", "id")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_from"), data.get("start_to")
        if start and end and start > end:
            raise forms.ValidationError(_("La date de début de la période suit sa date de fin."))
        return data

    def filters(self) -> IndicatorFilters:
        """The filters of a valid form; none (all data) otherwise."""
        if not self.is_valid():
            return IndicatorFilters()
        track, programme = self.cleaned_data["track"], self.cleaned_data["programme"]
        return IndicatorFilters(
            programme_id=programme.pk if programme else None,
            start_from=self.cleaned_data["start_from"],
            start_to=self.cleaned_data["start_to"],
            track_id=track.pk if track else None,
        )
