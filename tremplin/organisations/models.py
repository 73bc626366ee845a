"""Organisations and the network's training sites."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import OrganisationKind, PrescriberKind


class Organisation(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=OrganisationKind.choices)
    prescriber_kind = models.CharField(
        _("type de prescripteur"), max_length=20, choices=PrescriberKind.choices, blank=True
    )
    is_habilitated = models.BooleanField(
        _("prescripteur habilité"),
        default=False,
        help_text=_("Un diagnostic d'un prescripteur habilité vaut partout."),
    )
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    commune = models.CharField(_("commune"), max_length=120, blank=True)
    network = models.ForeignKey(
        "self",
        verbose_name=_("réseau"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        limit_choices_to={"kind": OrganisationKind.NETWORK},
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("organisation")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_habilitated=False) | models.Q(kind="prescriber"),
                name="organisation_only_prescribers_habilitated",
            ),
            models.UniqueConstraint(fields=["kind", "name"], name="organisation_unique_kind_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Site(models.Model):
    """A training site of the network, e.g. « Marseille – AFPA Saint-Jérôme »."""

    network = models.ForeignKey(
        Organisation,
        verbose_name=_("réseau"),
        on_delete=models.PROTECT,
        related_name="sites",
        limit_choices_to={"kind": OrganisationKind.NETWORK},
    )
    host = models.ForeignKey(
        Organisation,
        verbose_name=_("organisme d'accueil"),
        on_delete=models.PROTECT,
        related_name="hosted_sites",
        null=True,
        blank=True,
        limit_choices_to={"kind": OrganisationKind.TRAINING},
    )
    name = models.CharField(_("nom"), max_length=200, unique=True)
    commune = models.CharField(_("commune"), max_length=120)
    address = models.CharField(_("adresse"), max_length=250, blank=True)
    yearly_target = models.PositiveSmallIntegerField(_("objectif annuel de stagiaires"), default=20)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("site")

    def __str__(self) -> str:
        return self.name
