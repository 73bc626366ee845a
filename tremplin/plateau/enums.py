"""Choices of the technical platform: lab kinds, equipment types and states, half-days."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EquipmentType(models.TextChoices):
    FUSION_SPLICER = "fusion_splicer", _("Soudeuse fibre optique")
    OTDR = "otdr", _("Réflectomètre (OTDR)")
    POWER_METER = "power_meter", _("Photomètre (mesure de puissance)")
    RACK_42U = "rack_42u", _("Baie 42U")
    SERVER = "server", _("Serveur")
    PDU = "pdu", _("PDU (distribution électrique)")
    SWITCH = "switch", _("Commutateur réseau")
    IP_CAMERA = "ip_camera", _("Caméra IP")
    SENSOR_GATEWAY = "sensor_gateway", _("Passerelle de capteurs")
    OTHER = "other", _("Autre")


class LabKind(models.TextChoices):
    """What a lab is equipped for: a programme module names the kind it needs."""

    FIBRE = "fibre", _("Fibre optique")
    DATACENTER = "datacenter", _("Datacenter / serveurs")
    SURVEILLANCE_IOT = "surveillance_iot", _("Télésurveillance & objets connectés")
    CLASSROOM = "classroom", _("Salle de formation")


class EquipmentStatus(models.TextChoices):
    IN_SERVICE = "in_service", _("En service")
    UNDER_REPAIR = "under_repair", _("En réparation")
    RETIRED = "retired", _("Réformé")


class HalfDay(models.TextChoices):
    AM = "am", _("Matin")
    PM = "pm", _("Après-midi")


class FeedKind(models.TextChoices):
    COHORT = "cohort", _("Promotion")
    TRAINER = "trainer", _("Formateur")
