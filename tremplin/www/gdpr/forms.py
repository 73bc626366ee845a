"""Forms of the rights pages: rectification (validated like the referral form), erasure."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tremplin.www.candidacies.forms import PersonIdentityForm
from tremplin.www.forms import StyledForm


class RectifyForm(PersonIdentityForm):
    """Identity and contact details, corrected: the referral form's fields and checks."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("email", "phone", "address"):
            if name in data and data[name] is None:
                data[name] = ""
        return data


class EraseForm(StyledForm):
    confirm = forms.BooleanField(
        label=_(
            "Je confirme la demande d'effacement : l'anonymisation est définitive et ne peut "
            "pas être annulée."
        ),
        error_messages={"required": _("Cochez la case pour confirmer l'effacement.")},
    )
