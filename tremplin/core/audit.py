"""Writing audit entries from services, in the caller's transaction."""

from typing import Any

from django.db import models

from .models import AuditEntry


def audit(*, actor: Any, action: str, obj: models.Model, **details: Any) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.model_name or "",
        object_id=str(obj.pk),
        details={k: str(v) for k, v in details.items()},
    )
