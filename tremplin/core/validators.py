"""Validators shared by the forms of every area.

``refuse_nir``: Tremplin never needs a social security number (NIR), so a free-text field that
receives one refuses it rather than store it (docs/security.md, « Minimisation »).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tremplin.engine.nir import find_nir

NIR_MESSAGE = _("Ne saisissez pas de numéro de sécurité sociale : Tremplin n'en a pas besoin.")


def refuse_nir(value: Any) -> None:
    if isinstance(value, str) and find_nir(value) is not None:
        raise ValidationError(NIR_MESSAGE, code="nir")
