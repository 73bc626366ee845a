"""Forms of the people pages: search, and the choice of values when merging two records."""

import datetime
from typing import Any

from django import forms
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tremplin.people.enums import MergeChoice
from tremplin.people.models import Person
from tremplin.people.services import FieldGroup, default_choices, merge_groups
from tremplin.www.forms import StyledForm


class PersonSearchForm(StyledForm):
    q = forms.CharField(
        label=gettext_lazy("Rechercher une personne"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Nom, adresse électronique ou téléphone"),
    )


def display_value(person: Person, group: FieldGroup) -> str:
    """A group of fields of ``person`` as the merge page shows it."""
    if group.key == "address":
        text = f"{person.address}, {person.postal_code} {person.commune}".lstrip(", ")
        return f"{text} — {_('QPV')} {person.qpv_name}" if person.qpv_name else text
    field = Person._meta.get_field(group.key)
    assert isinstance(field, models.Field)
    return shown(field, getattr(person, field.attname))


def shown(field: "models.Field[Any, Any]", value: Any) -> str:
    """A value of ``field`` (as stored, or from a merge's JSON snapshot) for people to read."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str) and isinstance(field, models.DateTimeField | models.DateField):
        value = field.to_python(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "d/m/Y H:i")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "d/m/Y")
    return str(value)


class MergeForm(forms.Form):
    """One choice per group of fields whose values differ: the kept record's, or the other's."""

    def __init__(self, *args: Any, kept: Person, removed: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        defaults = default_choices(kept, removed)
        self.rows: list[dict[str, Any]] = []
        for group in merge_groups():
            kept_value, other_value = display_value(kept, group), display_value(removed, group)
            differs = any(getattr(kept, f) != getattr(removed, f) for f in group.fields)
            if differs:
                # Not required: a group left without an answer takes its default.
                self.fields[group.key] = forms.ChoiceField(
                    label=group.label,
                    choices=MergeChoice.choices,
                    initial=defaults[group.key],
                    widget=forms.RadioSelect,
                    required=False,
                )
            self.rows.append(
                {"group": group, "kept": kept_value, "other": other_value, "differs": differs}
            )

    def choices(self) -> dict[str, str]:
        return {key: value for key, value in self.cleaned_data.items() if value}

    def table(self) -> list[dict[str, Any]]:
        """The comparison, row by row, with the choice each row's radio buttons show."""
        return [
            row
            | (
                {
                    "checked": self[key].value() or self.fields[key].initial,
                    "errors": self[key].errors,
                }
                if row["differs"]
                else {"checked": "", "errors": []}
            )
            for row in self.rows
            for key in [row["group"].key]
        ]
