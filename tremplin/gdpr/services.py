"""Writes of the GDPR context: anonymise a person, rectify their record, honour an erasure
request, and the daily retention job (notices 30 days before, then anonymisation).

Anonymisation keeps every row the indicators are counted on (candidacies, enrolments,
attendance, follow-ups, and the derived ``reports.LearnerFacts``) and takes the person out of
them: identity fields replaced, free text emptied, files and rows marked ``gdpr_erase =
"delete"`` removed. Writes go through ``QuerySet.update`` on purpose: the facts' signals would
recompute the age band from the reduced birth date, and the funders' figures must not move.
The audit journal is never rewritten: its details carry no identity value (docs/gdpr.md).
"""

import datetime
import logging
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.audit import audit, audit_entry
from tremplin.core.models import AuditEntry, TransitionLog
from tremplin.people.models import Person, PersonMerge, identity_key

from .enums import AnonymisationReason, NoticeStatus
from .models import Anonymisation, RetentionNotice
from .relations import AGGREGATE_MODELS, person_paths, rows_of
from .retention import decide
from .selectors import erasure_check, people_dues, person_due_of

logger = logging.getLogger(__name__)

ANONYMOUS_FIRST_NAME = "Personne anonymisée"
# Rows whose whole content is about the person, beyond the models that say so themselves
# (``gdpr_erase = "delete"``): the proofs and the issued documents are files naming them.
DELETE_MODELS = frozenset({"eligibility.Proof", "documents.LearnerDocument"})
# Short free-text or technical columns that identify or describe the person, beyond the
# TextFields (emptied everywhere on the person's rows).
EXTRA_FIELDS: dict[str, dict[str, Any]] = {
    "attendance.AttendanceEntry": {"ip": None, "device": "", "justification": ""},
    "outcomes.FollowUpRequest": {"sent_to": ""},
    "employers.Proposal": {"immersion_tutor": ""},
}
# The objects whose transition comments may speak of the person.
TRANSITION_TYPES = {
    "candidacies.Candidacy": "candidacy",
    "eligibility.Diagnostic": "diagnostic",
    "cohorts.Enrolment": "enrolment",
    "employers.Proposal": "proposal",
}
IDENTITY_KEYS = ("first_name", "last_name", "email", "phone", "address", "identity_key")


class GdprError(Exception):
    """Refused, with a message already in the request's language; nothing was written."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _erases_rows(model: type[models.Model]) -> bool:
    return model._meta.label in DELETE_MODELS or getattr(model, "gdpr_erase", None) == "delete"


def _file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def _text_updates(model: type[models.Model]) -> dict[str, Any]:
    updates: dict[str, Any] = {
        f.attname: (None if f.null else "")
        for f in model._meta.concrete_fields
        if isinstance(f, models.TextField)
    }
    updates.update(EXTRA_FIELDS.get(model._meta.label, {}))
    for f in _file_fields(model):
        updates[f.attname] = None if f.null else ""
    return updates


@dataclass
class _Erasure:
    rows_deleted: int = 0
    files: list[tuple[Any, str]] = field(default_factory=list)


def _erase_related(person: Person) -> _Erasure:
    """Empty or delete what the related rows say of the person; the files go after commit."""
    done = _Erasure()
    # Deepest first: a row deleted here may be protected by one nearer the person.
    for path in reversed(person_paths()):
        label = path.label
        if label in AGGREGATE_MODELS or label.startswith("gdpr."):
            continue
        rows = rows_of(path, person)
        for f in _file_fields(path.model):
            for name in rows.exclude(**{f.attname: ""}).values_list(f.attname, flat=True):
                if name:
                    done.files.append((f.storage, name))
        if _erases_rows(path.model):
            done.rows_deleted += rows.count()
            path.model._base_manager.filter(pk__in=list(rows.values_list("pk", flat=True))).delete()
            continue
        updates = _text_updates(path.model)
        if updates:
            rows.update(**updates)
        if label in TRANSITION_TYPES:
            TransitionLog.objects.filter(
                object_type=TRANSITION_TYPES[label],
                object_id__in=rows.values_list("pk", flat=True),
            ).update(comment="")
    return done


def _scrub_merges(person: Person, values: dict[str, Any]) -> None:
    """The merge snapshots kept the identity of both records: the same person's."""
    merges = PersonMerge.objects.filter(
        models.Q(kept_person_id=person.pk) | models.Q(removed_person_id=person.pk)
    )
    for merge in merges:
        snapshot = dict(merge.snapshot)
        for part in ("kept_before", "removed", "kept_after"):
            if isinstance(snapshot.get(part), dict):
                snapshot[part] = {
                    k: (values[k] if k in IDENTITY_KEYS else v) for k, v in snapshot[part].items()
                }
                for k in ("birth_date", "latitude", "longitude"):
                    if k in snapshot[part]:
                        snapshot[part][k] = values.get(k)
        PersonMerge.objects.filter(pk=merge.pk).update(snapshot=snapshot)


def _close_account(account: Any) -> None:
    old_email = account.email
    type(account).objects.filter(pk=account.pk).update(
        email=f"compte-anonymise-{account.pk}@anonyme.invalid",
        first_name="",
        last_name="",
        is_active=False,
        password=make_password(None),
    )
    # Failed-login records name the account by its address (django-axes).
    if apps.is_installed("axes"):
        for name in ("AccessAttempt", "AccessLog", "AccessFailureLog"):
            try:
                model = apps.get_model("axes", name)
            except LookupError:
                continue
            model.objects.filter(username__iexact=old_email).delete()


def anonymise_person(*, person: Person, by: Any, reason: str) -> Anonymisation:
    """Take the person out of their data for good; a second call returns the first result."""
    if reason not in AnonymisationReason.values:
        raise GdprError(_("Motif d'anonymisation inconnu."))
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        existing = Anonymisation.objects.filter(person=locked).first()
        if existing is not None:
            return existing
        erased = _erase_related(locked)
        birth = locked.birth_date.replace(month=1, day=1)
        values: dict[str, Any] = {
            "first_name": ANONYMOUS_FIRST_NAME,
            "last_name": f"#{locked.pk}",
            "email": "",
            "phone": "",
            "address": "",
            "latitude": None,
            "longitude": None,
            "located_at": None,
            "birth_date": birth,
            "identity_key": identity_key(ANONYMOUS_FIRST_NAME, f"#{locked.pk}", birth),
        }
        _scrub_merges(locked, values)
        Person.objects.filter(pk=locked.pk).update(**values)
        if locked.account_id:
            _close_account(locked.account)
        now = timezone.now()
        RetentionNotice.objects.filter(person=locked, status=NoticeStatus.PENDING).update(
            status=NoticeStatus.DONE, closed_at=now
        )
        record = Anonymisation.objects.create(
            person=locked,
            at=now,
            by=by if getattr(by, "pk", None) else None,
            reason=reason,
            rows_deleted=erased.rows_deleted,
            files_deleted=len(erased.files),
        )
        audit(
            actor=by,
            action="person.anonymise",
            obj=locked,
            reason=reason,
            rows_deleted=erased.rows_deleted,
            files_deleted=len(erased.files),
        )

        def delete_files() -> None:
            for storage, name in erased.files:
                storage.delete(name)

        transaction.on_commit(delete_files)
    person.refresh_from_db()
    return record


def person_erase(*, person: Person, by: Any) -> Anonymisation:
    """An erasure request honoured by anonymisation, unless a legal retention applies."""
    with transaction.atomic():
        # Checked under the person's lock: a referral landing meanwhile waits, then sees it.
        Person.objects.select_for_update().filter(pk=person.pk).first()
        check = erasure_check(person)
        if not check.allowed:
            raise GdprError(" ".join(check.reasons))
        return anonymise_person(person=person, by=by, reason=AnonymisationReason.REQUEST)


RECTIFIABLE = (
    "first_name",
    "last_name",
    "birth_date",
    "email",
    "phone",
    "address",
    "commune",
    "postal_code",
)


def person_rectify(*, person: Person, by: Any, data: dict[str, Any]) -> list[str]:
    """Correct the identity and contact fields; the names of the fields changed."""
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        if Anonymisation.objects.filter(person=locked).exists():
            raise GdprError(_("Cette personne est anonymisée : sa fiche ne se corrige plus."))
        changed = [name for name in RECTIFIABLE if getattr(locked, name) != data[name]]
        if not changed:
            return []
        for name in changed:
            setattr(locked, name, data[name])
        key = identity_key(locked.first_name, locked.last_name, locked.birth_date)
        clash = Person.objects.filter(identity_key=key).exclude(pk=locked.pk).first()
        if clash is not None:
            raise GdprError(
                _(
                    "Une autre fiche (n° %(id)s) a déjà ce nom, ce prénom et cette date de "
                    "naissance : c'est sans doute la même personne. Fusionnez les deux fiches "
                    "depuis la page « Personnes » au lieu de corriger celle-ci."
                )
                % {"id": clash.pk}
            )
        locked.identity_key = key
        update = [*changed, "identity_key"]
        if "address" in changed or "commune" in changed or "postal_code" in changed:
            # The old location no longer holds: located again in the background.
            locked.latitude = locked.longitude = locked.located_at = None
            update += ["latitude", "longitude", "located_at"]
        locked.save(update_fields=update)
        # Field names only: the journal must not carry the values (docs/gdpr.md).
        audit(actor=by, action="person.rectify", obj=locked, fields=",".join(changed))
        if {"address", "commune", "postal_code"} & set(changed):
            _locate_later(locked.pk)
    person.refresh_from_db()
    return changed


def _locate_later(person_id: int) -> None:
    try:
        from tremplin.geo.tasks import locate_person
    except ImportError:  # pragma: no cover - geo always ships it
        return
    transaction.on_commit(lambda: locate_person.enqueue(person_id))


# --- the daily job -------------------------------------------------------------------------


@dataclass
class RetentionRun:
    anonymised: list[int] = field(default_factory=list)
    warned: list[int] = field(default_factory=list)
    postponed: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def apply_retention(*, today: datetime.date | None = None, dry_run: bool = False) -> RetentionRun:
    """Announce what falls due within 30 days, cancel announcements an activity postponed,
    anonymise what is due. People are read by batches; each anonymisation is its own
    transaction, so a failure leaves the others done and the job resumable."""
    today = today or timezone.localdate()
    run = RetentionRun()
    for dues in people_dues():
        pending = {
            n.person_id: n
            for n in RetentionNotice.objects.filter(
                person_id__in=list(dues), status=NoticeStatus.PENDING
            )
        }
        due_now: list[int] = []
        new_notices: list[RetentionNotice] = []
        now = timezone.now()
        for person_id, due in dues.items():
            decision = decide(due, today)
            notice = pending.get(person_id)
            if decision.action == "anonymise":
                due_now.append(person_id)
            elif decision.action == "warn":
                if notice is None:
                    run.warned.append(person_id)
                    new_notices.append(
                        RetentionNotice(
                            person_id=person_id, kind=due.kind, due_on=due.on, created_at=now
                        )
                    )
                elif notice.due_on != due.on:
                    run.postponed.append(person_id)
                    if not dry_run:
                        RetentionNotice.objects.filter(pk=notice.pk).update(
                            due_on=due.on, kind=due.kind
                        )
            elif notice is not None:
                # An enrolment or an activity moved the due date beyond the warning window.
                run.postponed.append(person_id)
                if not dry_run:
                    RetentionNotice.objects.filter(pk=notice.pk).update(
                        status=NoticeStatus.CANCELLED, closed_at=now
                    )
        if not dry_run and new_notices:
            with transaction.atomic():
                RetentionNotice.objects.bulk_create(new_notices, batch_size=500)
                AuditEntry.objects.bulk_create(
                    [
                        audit_entry(actor=None, action="retention.notice", obj=n, due_on=n.due_on)
                        for n in new_notices
                    ],
                    batch_size=500,
                )
        if dry_run:
            run.anonymised += due_now
            continue
        for person in Person.objects.filter(pk__in=due_now).order_by("pk"):
            try:
                with transaction.atomic():
                    Person.objects.select_for_update().filter(pk=person.pk).first()
                    # Read again under the lock: an activity since the batch was read keeps them.
                    if decide(person_due_of(person), today).action != "anonymise":
                        run.postponed.append(person.pk)
                        continue
                    anonymise_person(person=person, by=None, reason=AnonymisationReason.RETENTION)
            except Exception:
                # One person's failure must not keep the others' data past its term; the
                # next run tries again.
                logger.exception("anonymisation of person %s failed", person.pk)
                run.failed.append(person.pk)
                continue
            run.anonymised.append(person.pk)
    return run
