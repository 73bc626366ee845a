"""The technical platform (plateau technique): labs and, later, equipment and bookings."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.organisations.models import Site


class Lab(models.Model):
    """A lab of the site's technical platform (plateau technique)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="labs")
    name = models.CharField(_("nom"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    workstations = models.PositiveSmallIntegerField(_("postes de travail"), default=6)

    class Meta:
        ordering = ["site", "name", "id"]
        verbose_name = _("laboratoire")
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="lab_unique_per_site")]

    def __str__(self) -> str:
        return self.name
