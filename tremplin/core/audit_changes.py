"""What a write changed, for the audit journal: each field's old and new value, masked when
the value is personal or sensitive.

Every instance of an audited model (our apps' models, derived tables excepted) keeps the
values it was loaded or built with (a ``post_init`` receiver, connected per model in
``CoreConfig.ready``). When a service audits the object, ``changes_of`` compares the current
values with that snapshot, then takes a new snapshot, so a second entry for the same instance
lists only what changed since the first. An object that had no primary key in its snapshot
was created: every field it was given is listed with ``None`` as its old value.

The journal is hash-chained and can never be rewritten, so it must not keep what a person may
ask to erase or what the law protects most: values of identity fields, free text, files,
secrets, and any field whose name speaks of health, disability, income or benefits are
stored as ``{"masked": true}`` — the journal says *that* they changed, not *to what*.
"""

import datetime
import decimal
import uuid
from typing import Any

from django.db import models

# Field-name fragments whose values are never written to the journal (health, disability,
# benefits and income, national identifiers, secrets).
SENSITIVE_NAME_PARTS = (
    "rqth",
    "handicap",
    "health",
    "sante",
    "santé",
    "nir",
    "password",
    "token",
    "secret",
    "key_hash",
    "revenu",
    "income",
    "rsa",
    "benefit",
    "ciphertext",
)
# Fields that identify or locate a person, on any model: a rectification or an erasure must
# not leave the old value in the journal.
IDENTITY_FIELDS = frozenset(
    {
        "first_name",
        "last_name",
        "birth_date",
        "email",
        "phone",
        "address",
        "identity_key",
        "latitude",
        "longitude",
        "ip",
        "ip_address",
        "signature",
        # Uploaded files' names often carry the person's name.
        "original_name",
    }
)
# Tables derived from others or written by the journal itself: not audited field by field.
UNAUDITED_MODELS = frozenset(
    {
        "core.auditentry",
        "core.taskprogress",
        "core.scheduledrun",
        "reports.learnerfacts",
        "reports.factsrollup",
        "reports.factsrollupstate",
        "reports.factschanged",
        "reports.retractedfacts",
    }
)
MASKED = {"masked": True}
_SNAPSHOT = "_audit_snapshot"


def is_masked(field: models.Field[Any, Any]) -> bool:
    """Whether ``field``'s values stay out of the journal (see the module docstring)."""
    name = field.name.lower()
    model = field.model
    declared = getattr(model, "AUDIT_MASKED_FIELDS", ()) if model is not None else ()
    return (
        name in IDENTITY_FIELDS
        or name in declared
        or any(part in name for part in SENSITIVE_NAME_PARTS)
        or isinstance(field, models.TextField | models.FileField | models.BinaryField)
        or getattr(model, "AUDIT_MASK_ALL", False)
    )


def _concrete(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _values(instance: models.Model) -> dict[str, Any]:
    # Deferred fields (``.only()``) are absent from __dict__ and so from the snapshot.
    loaded = instance.__dict__
    return {f.attname: loaded[f.attname] for f in _concrete(type(instance)) if f.attname in loaded}


def remember(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """``post_init`` receiver: the values the instance starts with, and whether it had a pk."""
    instance.__dict__[_SNAPSHOT] = (instance.pk, _values(instance))


def audited(model: type[models.Model]) -> bool:
    return model._meta.label_lower not in UNAUDITED_MODELS and model.__module__.startswith(
        "tremplin."
    )


def _plain(value: Any) -> Any:
    """A JSON value that reads back identically (the entry's hash covers it)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | float | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def changes_of(instance: models.Model) -> dict[str, Any]:
    """``{field name: {"old": …, "new": …}}`` since the last snapshot (or ``MASKED``), and a
    new snapshot taken. Empty for a model that is not audited field by field."""
    snapshot = instance.__dict__.get(_SNAPSHOT)
    if snapshot is None:
        return {}
    pk_before, before = snapshot
    created = pk_before is None and instance.pk is not None
    after = _values(instance)
    changes: dict[str, Any] = {}
    for field in _concrete(type(instance)):
        if field.attname not in after:
            continue
        new = after[field.attname]
        if created:
            if new in (None, "", [], {}):
                continue
            old = None
        else:
            if field.attname not in before or before[field.attname] == new:
                continue
            old = before[field.attname]
        changes[field.name] = (
            MASKED if is_masked(field) else {"old": _plain(old), "new": _plain(new)}
        )
    instance.__dict__[_SNAPSHOT] = (instance.pk, after)
    return changes
