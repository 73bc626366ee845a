"""A person's data, everything the platform holds about them: as JSON and as a readable PDF.

The sections come from ``relations.person_paths``: every model with a foreign-key path to the
person, so a model added later is exported without being listed. A model may shape its own
rows with a ``gdpr_export()`` method (the sensitive profile does). Files are described (name,
size, type, date: the model's own columns), never included; secrets (tokens) are left out.
"""

import datetime
import decimal
import json
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone, translation

from tremplin.people.models import Person

from .relations import person_paths, rows_of

FORMAT = "tremplin.gdpr.export/1"
SECRET_HINTS = ("token", "password", "secret")
ACCOUNT_FIELDS = (
    "email",
    "first_name",
    "last_name",
    "role",
    "date_joined",
    "last_login",
    "is_active",
)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def _exported_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        f for f in model._meta.concrete_fields if not any(hint in f.name for hint in SECRET_HINTS)
    ]


def row_data(row: models.Model) -> dict[str, Any]:
    if hasattr(row, "gdpr_export"):
        return {k: _plain(v) for k, v in dict(row.gdpr_export()).items()}
    data: dict[str, Any] = {}
    for f in _exported_fields(type(row)):
        value = getattr(row, f.attname)
        if isinstance(f, models.FileField):
            data[f.name] = {"stored": bool(value)}  # the bytes stay on the server
        else:
            data[f.attname if f.is_relation else f.name] = _plain(value)
    return data


def _readable(row: models.Model) -> list[tuple[str, Any]]:
    """(label, value) pairs in the site's language, for the PDF."""
    if hasattr(row, "gdpr_export"):
        return [(k, _plain(v)) for k, v in dict(row.gdpr_export()).items()]
    pairs = []
    for f in _exported_fields(type(row)):
        value = getattr(row, f.attname)
        if f.choices:
            value = getattr(row, f"get_{f.name}_display")()
        elif isinstance(f, models.FileField):
            value = "fichier conservé" if value else "—"
        elif isinstance(value, bool):
            value = "oui" if value else "non"
        elif isinstance(value, datetime.datetime):
            value = timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
        elif isinstance(value, datetime.date):
            value = value.strftime("%d/%m/%Y")
        pairs.append((str(f.verbose_name), "—" if value in (None, "") else value))
    return pairs


@dataclass(frozen=True)
class Section:
    label: str  # model label, e.g. "candidacies.Candidacy"
    title: str
    rows: list[models.Model]


def person_sections(person: Person) -> list[Section]:
    """One query per model with a path to Person (about 25), whatever the person's history."""
    sections = []
    for path in person_paths():
        rows = list(rows_of(path, person))
        sections.append(Section(path.label, str(path.model._meta.verbose_name_plural), rows))
    return sections


def person_export(person: Person) -> dict[str, Any]:
    account = person.account
    return {
        "format": FORMAT,
        "exported_at": _plain(timezone.now()),
        "person": {f.name: _plain(getattr(person, f.attname)) for f in _exported_fields(Person)},
        "account": (
            {name: _plain(getattr(account, name)) for name in ACCOUNT_FIELDS} if account else None
        ),
        "data": {
            s.label: {"title": s.title, "rows": [row_data(r) for r in s.rows]}
            for s in person_sections(person)
        },
    }


def person_export_json(person: Person) -> bytes:
    return json.dumps(
        person_export(person), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    ).encode()


def person_export_pdf(person: Person) -> bytes:
    from weasyprint import HTML

    # Like the learners' documents: in French, the site's language, whoever asks.
    with translation.override("fr"):
        identity = [
            (str(f.verbose_name), v)
            for f, v in ((f, getattr(person, f.attname)) for f in _exported_fields(Person))
            if f.name not in ("id", "identity_key", "account")
        ]
        sections = [
            (s.title, [_readable(r) for r in s.rows]) for s in person_sections(person) if s.rows
        ]
        html = render_to_string(
            "gdpr/export_pdf.html",
            {
                "person": person,
                "identity": [(k, _readable_value(v)) for k, v in identity],
                "sections": sections,
                "exported_at": timezone.localtime(),
            },
        )
    content: bytes = HTML(string=html).write_pdf()
    return content


def _readable_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return "—" if value in (None, "") else value
