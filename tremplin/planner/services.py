"""Writes of the planner: starting a run, recording the engine's answer, committing a plan
as the cohort's sessions, locking a session, and trainers' profiles and half-days off.

A commit is all or nothing: the problem is rebuilt from the database and compared with the
one the preview solved (a session planned by hand, an item sent to repair, a trainer's new
day off… since then make the preview stale); then, in one transaction, the cohort's sessions
that re-planning replaces are deleted and the new ones created through
``plateau.services.session_create``, which checks every rule again. Any refusal rolls back
everything, so nothing is half-written.
"""

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.accounts.enums import Role
from tremplin.accounts.models import User
from tremplin.cohorts.models import Cohort
from tremplin.core.audit import audit
from tremplin.core.progress import progress_start
from tremplin.engine.timetable.io import problem_to_json
from tremplin.engine.timetable.model import Plan
from tremplin.organisations.models import Site
from tremplin.plateau.enums import EquipmentStatus, HalfDay
from tremplin.plateau.models import Booking, Equipment, Lab, Session
from tremplin.plateau.services import PlateauError, session_create
from tremplin.programmes.models import Module

from . import adapter
from .models import PlanRun, TrainerProfile, TrainerUnavailability


class PlannerError(Exception):
    """A refused write; ``message`` is translated into the active language, for the page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# Runs.


def plan_start(*, by: Any, cohort: Cohort, enqueue: Callable[[int, int], Any]) -> PlanRun:
    """Record a planning run of ``cohort`` and enqueue ``enqueue(progress_id, run_id)``."""
    if cohort.end_date <= timezone.localdate():
        raise PlannerError(_("Cette promotion est terminée : il n'y a plus rien à planifier."))
    with transaction.atomic():
        run = PlanRun.objects.create(
            kind=PlanRun.Kind.COHORT, site=cohort.site, cohort=cohort, requested_by=by
        )
        run.progress = progress_start(
            owner=by,
            kind="planner",
            label=_("Planification automatique — %(cohort)s") % {"cohort": cohort.name},
            enqueue=lambda pk: enqueue(pk, run.pk),
        )
        run.save(update_fields=["progress"])
        audit(actor=by, action="plan_run.start", obj=run, cohort=cohort.pk)
    return run


def capacity_start(
    *, by: Any, site: Site, year: int, enqueue: Callable[[int, int], Any]
) -> PlanRun:
    """Record a capacity study of ``site`` for ``year`` and enqueue it."""
    if not 2000 <= year <= 2100:
        raise PlannerError(_("Indiquez une année entre 2000 et 2100."))
    with transaction.atomic():
        run = PlanRun.objects.create(
            kind=PlanRun.Kind.CAPACITY, site=site, year=year, requested_by=by
        )
        run.progress = progress_start(
            owner=by,
            kind="planner",
            label=_("Capacité du plateau %(year)s — %(site)s") % {"year": year, "site": site.name},
            enqueue=lambda pk: enqueue(pk, run.pk),
        )
        run.save(update_fields=["progress"])
        audit(actor=by, action="capacity_run.start", obj=run, year=year)
    return run


def plan_record(*, run: PlanRun, problem: dict[str, Any], plan: Plan) -> PlanRun:
    """Keep the engine's input and answer on the run (the task's last write)."""
    data = adapter.plan_data(plan)
    with transaction.atomic():
        run.problem, run.result = problem, data
        run.plan_status = plan.status
        run.objective, run.bound, run.gap = plan.objective, plan.bound, plan.gap
        run.wall_time = plan.wall_time
        run.explanation = list(plan.explanation)
        run.save(
            update_fields=[
                "problem",
                "result",
                "plan_status",
                "objective",
                "bound",
                "gap",
                "wall_time",
                "explanation",
            ]
        )
        audit(actor=run.requested_by, action="plan_run.solved", obj=run, status=plan.status)
    return run


def capacity_record(*, run: PlanRun, result: dict[str, Any]) -> PlanRun:
    with transaction.atomic():
        run.result = result
        run.plan_status = str(result.get("status", "done"))[:12]
        run.save(update_fields=["result", "plan_status"])
        audit(actor=run.requested_by, action="capacity_run.solved", obj=run)
    return run


# Commit.


def _pick_equipment(
    *,
    site: Site,
    lab: Lab,
    day: datetime.date,
    half_day: str,
    needs: Iterable[tuple[str, int]],
) -> list[Equipment]:
    """In-service items of each needed type free on the half-day, those of ``lab`` first."""
    booked = Booking.objects.filter(date=day, half_day=half_day).values("equipment_id")
    picked: list[Equipment] = []
    for kind, units in needs:
        free = list(
            Equipment.objects.filter(lab__site=site, type=kind, status=EquipmentStatus.IN_SERVICE)
            .exclude(pk__in=booked)
            .select_related("lab")
            .order_by("serial_number", "pk")
        )
        # The session's own lab first: nobody carries a splicer across the building.
        free.sort(key=lambda item: item.lab_id != lab.pk)
        if len(free) < units:
            raise PlannerError(
                _(
                    "Plus assez d'équipements « %(type)s » libres le %(date)s (%(half)s) : "
                    "relancez la planification."
                )
                % {
                    "type": dict(Equipment._meta.get_field("type").choices or []).get(kind, kind),
                    "date": day.strftime("%d/%m/%Y"),
                    "half": HalfDay(half_day).label,
                }
            )
        picked.extend(free[:units])
    return picked


def plan_commit(*, run: PlanRun, by: Any) -> list[Session]:
    """Write the previewed plan as the cohort's sessions, or refuse and write nothing."""
    if run.kind != PlanRun.Kind.COHORT or run.cohort is None:
        raise PlannerError(_("Seul le planning d'une promotion se valide."))
    if run.committed_at is not None:
        raise PlannerError(_("Ce planning a déjà été validé."))
    if not run.found:
        raise PlannerError(_("Ce calcul n'a pas trouvé de planning : il n'y a rien à valider."))
    cohort = run.cohort
    today = timezone.localdate()
    # Rebuilt before the transaction: reads only, and the comparison says whether the
    # preview still describes the plateau.
    now = problem_to_json(adapter.cohort_problem(cohort, today=today))
    if now != run.problem:
        raise PlannerError(
            _(
                "Le plateau a changé depuis cet aperçu (séances, équipements, formateurs ou "
                "calendrier) : relancez la planification."
            )
        )
    sessions = [s for s in adapter.planned_sessions(run.result) if s.cohort == str(cohort.pk)]
    if any(s.group > 0 for s in sessions):
        raise PlannerError(
            _(
                "Ce planning partage la promotion en groupes (un laboratoire a moins de postes "
                "que d'apprenant·es) : les séances par groupe se planifient à la main."
            )
        )
    start = adapter.horizon_start(cohort, today)
    labs = Lab.objects.in_bulk([int(s.lab) for s in sessions])
    trainers = User.objects.in_bulk([int(s.trainer) for s in sessions])
    modules = {m.code: m for m in Module.objects.filter(programme_id=cohort.programme_id)}
    created: list[Session] = []
    with transaction.atomic():
        # One commit at a time per cohort, and not twice the same run.
        Cohort.objects.select_for_update().get(pk=cohort.pk)
        locked_run = PlanRun.objects.select_for_update().get(pk=run.pk)
        if locked_run.committed_at is not None:
            raise PlannerError(_("Ce planning a déjà été validé."))
        kept = set(adapter.kept_sessions(cohort, start).values_list("date", "half_day"))
        replaced = adapter.replaced_sessions(cohort, start)
        removed = list(replaced.values_list("pk", flat=True))
        replaced.delete()
        if removed:
            audit(
                actor=by,
                action="plan_run.replace_sessions",
                obj=run,
                cohort=cohort.pk,
                sessions=",".join(str(pk) for pk in removed),
            )
        for s in sessions:
            if (s.day, s.half_day) in kept:
                continue  # a kept session the engine returned as part of the plan
            lab, trainer, module = labs[int(s.lab)], trainers[int(s.trainer)], modules[s.module]
            equipment = _pick_equipment(
                site=cohort.site, lab=lab, day=s.day, half_day=s.half_day, needs=s.equipment
            )
            try:
                created.append(
                    session_create(
                        by=by,
                        cohort=cohort,
                        date=s.day,
                        half_day=s.half_day,
                        trainer=trainer,
                        lab=lab,
                        equipment=equipment,
                        module=module,
                    )
                )
            except PlateauError as error:
                raise PlannerError(
                    _("Séance du %(date)s (%(half)s) : %(error)s Relancez la planification.")
                    % {
                        "date": s.day.strftime("%d/%m/%Y"),
                        "half": HalfDay(s.half_day).label,
                        "error": error.message,
                    }
                ) from None
        run.committed_at, run.committed_by = timezone.now(), by
        run.save(update_fields=["committed_at", "committed_by"])
        audit(actor=by, action="plan_run.commit", obj=run, sessions=len(created))
    return created


# Sessions locked by hand.


def session_lock(*, session: Session, locked: bool, by: Any) -> Session:
    """Lock (re-planning keeps it) or unlock a session."""
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.locked == locked:
            return session
        session.locked = locked
        session.save(update_fields=["locked"])
        audit(actor=by, action="session.lock" if locked else "session.unlock", obj=session)
    return session


# Trainers' profiles.


def trainer_profile_set(
    *, by: Any, trainer: Any, modules: Iterable[Module], max_half_days_per_week: int = 8
) -> TrainerProfile:
    if trainer.role != Role.TRAINER:
        raise PlannerError(_("Seul un formateur a un profil d'enseignement."))
    if not 1 <= max_half_days_per_week <= 10:
        raise PlannerError(_("Une semaine compte de 1 à 10 demi-journées d'enseignement."))
    with transaction.atomic():
        profile, _created = TrainerProfile.objects.update_or_create(
            trainer=trainer, defaults={"max_half_days_per_week": max_half_days_per_week}
        )
        modules = list(modules)
        profile.modules.set(modules)
        audit(
            actor=by,
            action="trainer_profile.set",
            obj=profile,
            modules=",".join(m.code for m in modules),
            max_half_days_per_week=max_half_days_per_week,
        )
    return profile


def unavailability_add(
    *, by: Any, trainer: Any, date: datetime.date, half_day: str, reason: str = ""
) -> TrainerUnavailability:
    if half_day not in HalfDay.values:
        raise PlannerError(_("Choisissez le matin ou l'après-midi."))
    if TrainerUnavailability.objects.filter(trainer=trainer, date=date, half_day=half_day).exists():
        raise PlannerError(_("Cette indisponibilité est déjà enregistrée."))
    with transaction.atomic():
        row = TrainerUnavailability.objects.create(
            trainer=trainer, date=date, half_day=half_day, reason=reason.strip()
        )
        audit(actor=by, action="trainer_unavailability.add", obj=row)
    return row
