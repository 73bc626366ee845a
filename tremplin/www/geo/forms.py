"""Forms of the geography pages: the QPV upload, its confirmation, the location lookup."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tremplin.www.forms import SignedConfirmForm, StyledForm

# The official file (all of France, full-precision outlines) is a few tens of megabytes.
MAX_QPV_FILE_BYTES = 100 * 1024 * 1024
# A confirmation is valid for an hour after the preview; the stored file is deleted on import.
CONFIRM_MAX_AGE = 3600
CONFIRM_SALT = "tremplin.geo.qpv-upload"


@dataclass(frozen=True)
class UploadedFile:
    name: str
    content: bytes


@dataclass(frozen=True)
class PendingImport:
    """A previewed file waiting for its import: where it is stored, what it was called."""

    upload_name: str
    source_name: str


def sign_pending(pending: PendingImport, *, user_id: int) -> str:
    return QpvConfirmForm.sign(
        {"upload": pending.upload_name, "source": pending.source_name}, user_id=user_id
    )


class QpvUploadForm(StyledForm):
    file = forms.FileField(
        label=_("Fichier GeoJSON des quartiers prioritaires"),
        help_text=_(
            "Le fichier officiel de l'ANCT en WGS84 (QP2024_France_Hexagonale_Outre_Mer_WGS84, "
            "publié sur data.gouv.fr). Aperçu et vérification avant tout import."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,application/geo+json"}),
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_QPV_FILE_BYTES:
            raise forms.ValidationError(
                _("Fichier trop volumineux (%(size)d Mo, maximum %(max)d Mo).")
                % {"size": upload.size // (1024 * 1024), "max": MAX_QPV_FILE_BYTES // (1024 * 1024)}
            )
        return UploadedFile(name=upload.name or "qpv.geojson", content=upload.read())


class QpvConfirmForm(SignedConfirmForm):
    salt = CONFIRM_SALT
    max_age = CONFIRM_MAX_AGE

    def clean_token(self) -> PendingImport:
        data = self.signed_data()
        return PendingImport(upload_name=str(data["upload"]), source_name=str(data["source"]))


class LocationLookupForm(StyledForm):
    address = forms.CharField(
        label=_("Adresse"),
        max_length=250,
        required=False,
        help_text=_("Numéro et voie, par exemple « 12 boulevard de la Grande Thumine »."),
    )
    postal_code = forms.RegexField(
        label=_("Code postal"),
        regex=r"^\d{5}$",
        required=False,
        error_messages={"invalid": _("Le code postal compte cinq chiffres.")},
    )
    commune = forms.CharField(label=_("Commune"), max_length=120, required=False)
    latitude = forms.FloatField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        help_text=_("Ou bien des coordonnées WGS84, en degrés décimaux (43.3319)."),
    )
    longitude = forms.FloatField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_lat = data.get("latitude") is not None
        has_lon = data.get("longitude") is not None
        if (
            has_lat != has_lon
            and not self.has_error("latitude")
            and not self.has_error("longitude")
        ):
            raise forms.ValidationError(
                _("Donnez la latitude et la longitude, ou ni l'une ni l'autre.")
            )
        nothing = not has_lat and not (data.get("postal_code") or data.get("commune"))
        if nothing and not self.errors:
            raise forms.ValidationError(
                _("Saisissez une adresse avec son code postal ou sa commune, ou des coordonnées.")
            )
        return data

    @property
    def by_coordinates(self) -> bool:
        return self.cleaned_data.get("latitude") is not None
