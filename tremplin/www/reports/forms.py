"""The dashboard filters: cohorts started between two dates, of a programme, one track, and on
the network page which of the viewer's sites to compare."""

from typing import Any

from django import forms
from django.db.models import QuerySet
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

    def __init__(self, *args: Any, sites: QuerySet[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = (  # type: ignore[attr-defined]
            Programme.objects.filter(cohorts__site__in=sites).distinct().order_by("name", "id")
        )
        self.fields["track"].queryset = (  # type: ignore[attr-defined]
            Track.objects.filter(programme__cohorts__site__in=sites)
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


class NetworkFilterForm(IndicatorFilterForm):
    """The network comparison's filters: the same, plus the sites to compare (all if none)."""

    sites = forms.ModelMultipleChoiceField[Site](
        label=_("Sites"),
        required=False,
        queryset=Site.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 3}),
    )

    def __init__(self, *args: Any, sites: QuerySet[Site], **kwargs: Any) -> None:
        super().__init__(*args, sites=sites, **kwargs)
        self.fields["sites"].queryset = sites.order_by("name", "id")  # type: ignore[attr-defined]
        self.order_fields(["sites"])

    def chosen_sites(self, sites: QuerySet[Site]) -> QuerySet[Site]:
        """The sites to compare: those picked, or every site of ``sites``."""
        if self.is_valid() and self.cleaned_data["sites"]:
            return sites.filter(pk__in=[s.pk for s in self.cleaned_data["sites"]])
        return sites
