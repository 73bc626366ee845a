"""Explicit state machines with a transition log.

A lifecycle (candidacy, enrolment, proposal) declares its transitions once; services call
``Workflow.apply`` which locks the row, checks the source state, writes the new state with
``update_fields`` and logs who, when, from, to and why. Nothing else sets a status.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .models import TransitionLog


class TransitionNotAllowed(Exception):
    """The object is not in a state the transition starts from; nothing was written.

    ``message`` is already translated into the active language (the request's), since views
    show it as it is.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    # A lazy translation (gettext_lazy): the workflows are built at import time, and each
    # request renders the label in its own language.
    label: str | Promise
    needs_reason: bool = False


class Workflow:
    def __init__(
        self,
        object_type: str,
        field: str,
        transitions: list[Transition],
        *,
        states: type[models.TextChoices],
        reasons: dict[str, type[models.TextChoices]] | None = None,
    ) -> None:
        self.object_type = object_type
        self.field = field
        self.transitions = {t.name: t for t in transitions}
        self.state_labels = dict(states.choices)
        self.reason_labels = {
            name: dict(choices.choices) for name, choices in (reasons or {}).items()
        }

    def reasons_for(self, transition: str) -> list[tuple[str, str]]:
        return list(self.reason_labels.get(transition, {}).items())

    def check_reason(self, transition: str, reason: str) -> str:
        """The reason if the transition takes one from its list, else an error or ''."""
        labels = self.reason_labels.get(transition)
        if labels is None:
            return ""
        if reason not in labels:
            raise TransitionNotAllowed(_("Choisissez un motif dans la liste."))
        return reason

    def available(self, state: str) -> list[Transition]:
        return [t for t in self.transitions.values() if state in t.sources]

    def get(self, name: str) -> Transition:
        try:
            return self.transitions[name]
        except KeyError:
            raise TransitionNotAllowed(
                _("Transition inconnue : %(name)s") % {"name": name}
            ) from None

    def apply(
        self,
        obj: models.Model,
        name: str,
        *,
        by: Any,
        reason: str = "",
        comment: str = "",
        extra_fields: dict[str, Any] | None = None,
    ) -> TransitionLog:
        """Move ``obj`` through transition ``name`` inside the caller's transaction."""
        transition = self.get(name)
        reason = self.check_reason(name, reason)
        if transition.needs_reason and not reason:
            raise TransitionNotAllowed(_("Un motif est obligatoire pour cette décision."))
        with transaction.atomic():
            # Re-read under lock so two users cannot both move the same object.
            locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
            current = getattr(locked, self.field)
            if current not in transition.sources:
                raise TransitionNotAllowed(
                    _("« %(transition)s » est impossible depuis l'état actuel (%(state)s).")
                    % {
                        "transition": transition.label,
                        "state": getattr(locked, f"get_{self.field}_display")(),
                    }
                )
            fields = {self.field: transition.target, **(extra_fields or {})}
            for attr, value in fields.items():
                setattr(locked, attr, value)
                setattr(obj, attr, value)
            locked.save(update_fields=list(fields))
            return TransitionLog.objects.create(
                at=timezone.now(),
                actor=by,
                object_type=self.object_type,
                object_id=locked.pk,
                transition=name,
                from_state=current,
                to_state=transition.target,
                reason=reason,
                comment=comment,
            )

    def history(self, obj: models.Model) -> list[dict[str, Any]]:
        """The object's transitions, oldest first, with human labels for states and reasons."""
        logs = TransitionLog.objects.filter(
            object_type=self.object_type, object_id=obj.pk
        ).select_related("actor")
        return [
            {
                "log": log,
                "from_label": self.state_labels.get(log.from_state, log.from_state),
                "to_label": self.state_labels.get(log.to_state, log.to_state),
                "reason_label": self.reason_labels.get(log.transition, {}).get(
                    log.reason, log.reason
                ),
            }
            for log in logs
        ]
