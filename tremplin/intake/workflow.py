"""The life of an import: checked (preview), importing, imported or failed (and tried again)."""

from django.utils.translation import gettext_lazy as _

from tremplin.core.workflow import Transition, Workflow

from .enums import ImportStatus as S

import_workflow = Workflow(
    "importbatch",
    "status",
    [
        Transition("start", (S.PREVIEW, S.FAILED), S.IMPORTING, _("Lancer l'import")),
        Transition("finish", (S.IMPORTING,), S.IMPORTED, _("Import terminé")),
        Transition("fail", (S.IMPORTING,), S.FAILED, _("Échec de l'import")),
    ],
    states=S,
)
