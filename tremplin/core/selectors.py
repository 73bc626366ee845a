"""Reading the audit journal: entries filtered for the journal page, details made safe to show."""

import datetime
from typing import Any, NamedTuple

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit_changes import SENSITIVE_NAME_PARTS
from .models import AuditEntry


def audit_journal(
    *,
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    actor: Any = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> "QuerySet[AuditEntry]":
    """Entries newest first. ``action`` matches a prefix (« candidacy » finds every candidacy
    action); the dates are whole local days, turned into bounds the index on ``at`` serves."""
    entries = AuditEntry.objects.select_related("actor").order_by("-id")
    if action:
        entries = entries.filter(action__startswith=action)
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_id:
        entries = entries.filter(object_id=object_id)
    if actor is not None:
        entries = entries.filter(actor=actor)
    if since is not None:
        entries = entries.filter(at__gte=_day_start(since))
    if until is not None:
        entries = entries.filter(at__lt=_day_start(until + datetime.timedelta(days=1)))
    return entries


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def is_sensitive(key: str) -> bool:
    """A details key naming health, disability, identity, income or secret data: its value is
    never shown (page and export alike); the same words keep a changed field's values out of
    the journal when it is written."""
    lowered = key.lower()
    return any(part in lowered for part in SENSITIVE_NAME_PARTS)


class Detail(NamedTuple):
    key: str
    value: str  # empty when masked
    masked: bool


def masked_details(details: Any) -> list[Detail]:
    """An entry's details sorted by key, sensitive values masked; a nested mapping is shown on
    one line, its own sensitive values masked too."""
    if not isinstance(details, dict):
        return [] if details in (None, "", []) else [Detail("", str(details), False)]
    shown = []
    for key in sorted(details, key=str):
        value = details[key]
        if key == "changes" and isinstance(value, dict):
            shown.extend(_changes(value))
        elif is_sensitive(str(key)):
            shown.append(Detail(str(key), "", True))
        elif isinstance(value, dict):
            shown.append(Detail(str(key), details_text(value), False))
        else:
            shown.append(Detail(str(key), str(value), False))
    return shown


def _changes(changes: dict[str, Any]) -> list[Detail]:
    """One line per changed field: « ancien → nouveau », « — » for no value; masked fields
    (and any field whose name is sensitive) say only that they changed."""
    shown = []
    for field in sorted(changes, key=str):
        change = changes[field]
        if not isinstance(change, dict) or change.get("masked") or is_sensitive(str(field)):
            shown.append(Detail(str(field), "", True))
            continue
        old, new = (
            ("—" if v in (None, "") else str(v)) for v in (change.get("old"), change.get("new"))
        )
        shown.append(Detail(str(field), f"{old} → {new}", False))
    return shown


def details_text(details: Any) -> str:
    """The masked details on one line: « clé : valeur ; … » (the export, nested mappings)."""
    return " ; ".join(
        f"{d.key} : {_('masqué') if d.masked else d.value}" if d.key else d.value
        for d in masked_details(details)
    )
