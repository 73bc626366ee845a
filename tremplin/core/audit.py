"""Writing audit entries from services, in the caller's transaction.

Every entry joins the journal's hash chain when it is inserted (``AuditEntry.save`` and
``AuditEntry.objects.bulk_create`` call ``audit_chain.link``): one lock (PostgreSQL) and one
read of the last hash per call, so bulk writers keep ``bulk_create`` for their entries."""

from typing import Any

from django.db import models

from .models import AuditEntry


def audit_entry(*, actor: Any, action: str, obj: models.Model, **details: Any) -> AuditEntry:
    """The entry for ``obj``, unsaved: services that write in bulk ``bulk_create`` these (the
    manager chains them in list order). Its date is set here: the hashed date is the stored one."""
    return AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.model_name or "",
        object_id=str(obj.pk),
        details={k: str(v) for k, v in details.items()},
    )


def audit(*, actor: Any, action: str, obj: models.Model, **details: Any) -> AuditEntry:
    entry = audit_entry(actor=actor, action=action, obj=obj, **details)
    entry.save()
    return entry
