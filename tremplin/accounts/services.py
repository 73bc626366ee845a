"""Writes on user accounts made by the users themselves."""

from django.db import transaction

from tremplin.core.audit import audit

from .models import User


def account_preferences_update(*, user: User, notify_candidacy_updates: bool) -> None:
    with transaction.atomic():
        user.notify_candidacy_updates = notify_candidacy_updates
        user.save(update_fields=["notify_candidacy_updates"])
        audit(
            actor=user,
            action="account.preferences",
            obj=user,
            notify_candidacy_updates=notify_candidacy_updates,
        )
