"""Communes and priority neighbourhoods (QPV): the reference geography intake relies on."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import CommuneKind, CommunePosition


class Commune(models.Model):
    """A commune, or a municipal arrondissement of Paris, Lyon or Marseille.

    Loaded from ``data/communes.csv.gz`` by ``manage.py load_communes`` (docs/data-sources.md).
    """

    insee_code = models.CharField(_("code INSEE"), max_length=5, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    # The name as people compare it (no case, accents or hyphens): see normalise_commune_name.
    search_name = models.CharField(max_length=120, db_index=True, editable=False)
    kind = models.CharField(_("type"), max_length=20, choices=CommuneKind.choices)
    parent_insee = models.CharField(_("commune de rattachement"), max_length=5, blank=True)
    department = models.CharField(_("département"), max_length=3, db_index=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    position = models.CharField(
        _("origine du point"), max_length=10, choices=CommunePosition.choices, blank=True
    )

    class Meta:
        ordering = ["insee_code"]
        verbose_name = _("commune")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(insee_code__regex=r"^[0-9][0-9AB][0-9]{3}$"),
                name="geo_commune_insee_code_format",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(longitude__isnull=True, latitude__isnull=True, position="")
                    | (
                        models.Q(longitude__gte=-180, longitude__lte=180)
                        & models.Q(latitude__gte=-90, latitude__lte=90)
                        & ~models.Q(position="")
                    )
                ),
                name="geo_commune_position_complete",
            ),
            models.CheckConstraint(
                condition=(models.Q(kind=CommuneKind.ARRONDISSEMENT) & ~models.Q(parent_insee=""))
                | (models.Q(kind=CommuneKind.COMMUNE) & models.Q(parent_insee="")),
                name="geo_commune_parent_iff_arrondissement",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.insee_code})"


class CommunePostalCode(models.Model):
    """One postal code of a commune; a code may serve several communes and the reverse."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="postal_codes")
    postal_code = models.CharField(_("code postal"), max_length=5, db_index=True)

    class Meta:
        ordering = ["postal_code", "commune_id"]
        verbose_name = _("code postal")
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "postal_code"], name="geo_postal_code_once_per_commune"
            ),
            models.CheckConstraint(
                condition=models.Q(postal_code__regex=r"^[0-9]{5}$"),
                name="geo_postal_code_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.postal_code} {self.commune.name}"


class QpvImport(models.Model):
    """One import of the official QPV file: when, from which file, by whom, how many.

    A new import replaces the previous set of neighbourhoods in one transaction; the batch
    rows stay as the history, only the current one keeps its neighbourhoods.
    """

    # Names this set of outlines for the per-process spatial index cache (selectors.qpv_index):
    # a primary key can come back after a rollback, a random identifier does not.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    imported_at = models.DateTimeField(_("importé le"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("importé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_name = models.CharField(_("fichier source"), max_length=255)
    neighbourhood_count = models.PositiveIntegerField(_("quartiers"))
    commune_count = models.PositiveIntegerField(_("communes"))
    is_current = models.BooleanField(_("en vigueur"), default=True)
    replaced_at = models.DateTimeField(_("remplacé le"), null=True, blank=True)

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("import des quartiers prioritaires")
        verbose_name_plural = _("imports des quartiers prioritaires")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="geo_one_current_qpv_import",
            ),
            models.CheckConstraint(
                condition=models.Q(is_current=True, replaced_at__isnull=True)
                | models.Q(is_current=False, replaced_at__isnull=False),
                name="geo_qpv_import_replaced_iff_not_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_name} ({self.imported_at:%Y-%m-%d})"


class PriorityNeighbourhood(models.Model):
    """A priority neighbourhood of the city policy (QPV) and its outline."""

    batch = models.ForeignKey(QpvImport, on_delete=models.CASCADE, related_name="neighbourhoods")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("nom"), max_length=200)
    # The INSEE codes of the communes it spans, space-separated (some QPV span two communes).
    commune_codes = models.CharField(_("communes (codes INSEE)"), max_length=200)
    # The outline as WKB (engine.geo.area_to_wkb): a valid Polygon or MultiPolygon in WGS84.
    geometry_wkb = models.BinaryField(_("contour (WKB)"))

    class Meta:
        ordering = ["code", "id"]
        verbose_name = _("quartier prioritaire")
        verbose_name_plural = _("quartiers prioritaires")
        constraints = [
            models.UniqueConstraint(fields=["batch", "code"], name="geo_qpv_code_once_per_import"),
            models.CheckConstraint(condition=~models.Q(code=""), name="geo_qpv_code_not_empty"),
            models.CheckConstraint(
                condition=~models.Q(commune_codes=""), name="geo_qpv_has_communes"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
