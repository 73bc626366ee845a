"""The audit journal's filters: action, object type and id, author, date range."""

import re
from typing import Any

from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from tremplin.accounts.models import User
from tremplin.www.forms import DateInput, StyledForm

_ACTION = re.compile(r"[a-z0-9_.]+")


def object_type_choices() -> list[tuple[str, str]]:
    """The project's models, as ``audit_entry`` names them (``model_name``), by French name."""
    models = [
        (model._meta.model_name or "", str(model._meta.verbose_name))
        for model in apps.get_models()
        if model.__module__.startswith("tremplin.")
    ]
    return [("", str(_("Tous les types"))), *sorted(models, key=lambda m: m[1].lower())]


class JournalFilterForm(StyledForm):
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=80,
        help_text=_("Le début suffit : « candidacy » trouve toutes les actions des candidatures."),
    )
    type_objet = forms.ChoiceField(
        label=_("Type d'objet"), required=False, choices=object_type_choices
    )
    objet = forms.CharField(label=_("N° de l'objet"), required=False, max_length=40)
    auteur = forms.EmailField(
        label=_("Auteur"), required=False, help_text=_("Adresse électronique du compte.")
    )
    du = forms.DateField(label=_("Depuis le"), required=False, widget=DateInput())
    au = forms.DateField(label=_("Jusqu'au"), required=False, widget=DateInput())

    def clean_action(self) -> str:
        action = str(self.cleaned_data["action"]).strip()
        if action and not _ACTION.fullmatch(action):
            raise forms.ValidationError(
                _(
                    "Une action s'écrit en minuscules, chiffres, « _ » et « . » "
                    "(par exemple « candidacy.create »)."
                )
            )
        return action

    def clean_objet(self) -> str:
        return str(self.cleaned_data["objet"]).strip()

    def clean_auteur(self) -> User | None:
        email = self.cleaned_data["auteur"]
        if not email:
            return None
        actor = User.objects.filter(email__iexact=email).first()
        if actor is None:
            raise forms.ValidationError(_("Aucun compte n'a cette adresse électronique."))
        return actor

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("du"), cleaned.get("au")
        if start and end and start > end:
            self.add_error("au", _("La date de fin doit suivre la date de début."))
        return cleaned

    def filters(self) -> dict[str, Any]:
        """The selector's arguments; none when the form is not valid (every entry is shown)."""
        if not self.is_bound or not self.is_valid():
            return {}
        d = self.cleaned_data
        return {
            "action": d["action"],
            "object_type": d["type_objet"],
            "object_id": d["objet"],
            "actor": d["auteur"],
            "since": d["du"],
            "until": d["au"],
        }
