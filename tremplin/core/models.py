"""Audit entries and background-task progress shared by every bounded context."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .audit_chain import link


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def bulk_create(
        self, objs: Iterable["AuditEntry"], *args: Any, **kwargs: Any
    ) -> list["AuditEntry"]:
        """Entries written in bulk are chained too, in the order given (ids follow it)."""
        entries = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            link(entries, using=self.db)
            return super().bulk_create(entries, *args, **kwargs)


class AuditEntry(models.Model):
    """One write made by a service: who did what to which object, in the same transaction.

    Entries form a hash chain (``core/audit_chain.py``, ``manage.py verify_audit_chain``):
    ``entry_hash`` covers the content and ``previous_hash``, the hash of the entry before.
    """

    # Set when the entry is built, not by the database: the stored value is the hashed one.
    at = models.DateTimeField(_("date"), default=timezone.now, editable=False, db_index=True)
    # PROTECT: the journal keeps who acted (and the hash covers the actor's id); accounts that
    # acted are deactivated, not deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=80)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=40)
    details = models.JSONField(default=dict, blank=True)
    previous_hash = models.CharField(max_length=64, editable=False)
    entry_hash = models.CharField(max_length=64, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("entrée du journal")
        verbose_name_plural = _("journal d'audit")
        indexes = [models.Index(fields=["object_type", "object_id"])]
        constraints = [
            # Two entries chained to the same predecessor would be a fork: refused even if a
            # writer skipped the lock.
            models.UniqueConstraint(fields=["previous_hash"], name="audit_chain_no_fork"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            super().save(*args, **kwargs)
            return
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            link([self], using=using)
            super().save(*args, **kwargs)


class TaskProgress(models.Model):
    """Progress of one background task, polled by the page that started it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("En attente")
        RUNNING = "running", _("En cours")
        DONE = "done", _("Terminée")
        FAILED = "failed", _("Échec")

    kind = models.CharField(max_length=60)
    label = models.CharField(_("libellé"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="task_progresses"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    result_content = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done__lte=models.F("total")) | models.Q(total=0),
                name="taskprogress_done_le_total",
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0


class TransitionLog(models.Model):
    """One state change of a lifecycle object (candidacy, enrolment, proposal)."""

    at = models.DateTimeField(_("date"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_type = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    transition = models.CharField(max_length=40)
    from_state = models.CharField(max_length=30)
    to_state = models.CharField(max_length=30)
    reason = models.CharField(_("motif"), max_length=60, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.object_type}#{self.object_id}: {self.from_state} → {self.to_state}"


class ScheduledRun(models.Model):
    """One daily job enqueued for one day (tremplin/core/scheduler.py): the unique pair makes a
    job run once a day however many schedulers run, and whatever restarts they go through."""

    job = models.CharField(max_length=80)
    day = models.DateField()
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "job"]
        constraints = [
            models.UniqueConstraint(fields=["job", "day"], name="scheduled_run_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.job} — {self.day}"
