"""Writing audit entries from services, in the caller's transaction.

Every entry joins the journal's hash chain when it is inserted (``AuditEntry.save`` and
``AuditEntry.objects.bulk_create`` call ``audit_chain.link``): one lock (PostgreSQL) and one
read of the last hash per call, so bulk writers keep ``bulk_create`` for their entries."""

from typing import Any

from django.db import models

from .audit_changes import changes_of
from .models import AuditEntry


def audit_entry(*, actor: Any, action: str, obj: models.Model, **details: Any) -> AuditEntry:
    """The entry for ``obj``, unsaved: services that write in bulk ``bulk_create`` these (the
    manager chains them in list order). Its date is set here: the hashed date is the stored one.

    ``details["changes"]`` lists the fields the service changed on ``obj`` since it was loaded
    or last audited, old and new values, masked where personal (``core/audit_changes.py``)."""
    recorded: dict[str, Any] = {k: str(v) for k, v in details.items()}
    changes = changes_of(obj)
    if changes:
        recorded["changes"] = changes
    return AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.model_name or "",
        object_id=str(obj.pk),
        details=recorded,
    )


def audit(*, actor: Any, action: str, obj: models.Model, **details: Any) -> AuditEntry:
    entry = audit_entry(actor=actor, action=action, obj=obj, **details)
    entry.save()
    return entry
