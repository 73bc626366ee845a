"""The life of a piece of equipment: in service, under repair, retired.

The transition log is the maintenance log: each change carries the maintenance notes as its
comment (what broke, who repairs it, what was replaced).
"""

from django.utils.translation import gettext_lazy as _

from tremplin.core.workflow import Transition, Workflow

from .enums import EquipmentStatus as S

equipment_workflow = Workflow(
    "equipment",
    "status",
    [
        Transition("send_to_repair", (S.IN_SERVICE,), S.UNDER_REPAIR, _("Envoyer en réparation")),
        Transition("return_to_service", (S.UNDER_REPAIR,), S.IN_SERVICE, _("Remettre en service")),
        Transition("retire", (S.IN_SERVICE, S.UNDER_REPAIR), S.RETIRED, _("Réformer")),
    ],
    states=S,
)
