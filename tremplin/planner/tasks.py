"""Background tasks of the planner: solving a cohort's timetable, studying a site's capacity.

The solver reports each improving solution from its own thread; only this task's thread
touches the database (a connection belongs to its thread), so the callback just keeps the
latest figures and the task's loop writes them to the ``TaskProgress`` twice a second, with
the elapsed share of the time limit as the percentage.
"""

import datetime
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tremplin.core.models import TaskProgress
from tremplin.core.progress import progress_fail, progress_finish, progress_update
from tremplin.engine.timetable.io import problem_to_json

from . import adapter
from .models import PlanRun
from .services import capacity_record, plan_record

# Seconds the solver may take for one cohort; a setting so tests and the demo can shorten it.
DEFAULT_TIME_LIMIT = 10.0
POLL_SECONDS = 0.5


def time_limit() -> float:
    return float(getattr(settings, "PLANNER_TIME_LIMIT", DEFAULT_TIME_LIMIT))


class _Latest:
    """The solver's latest progress, handed from its thread to the task's."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.value: Any = None

    def __call__(self, progress: Any) -> None:
        with self._lock:
            self.value = progress

    def get(self) -> Any:
        with self._lock:
            return self.value


def run_with_progress(
    work: Callable[[Callable[[Any], None]], Any], progress: TaskProgress, limit: float
) -> Any:
    """Run ``work(callback)`` in a thread, showing its progress until it returns."""
    latest = _Latest()
    began = time.monotonic()
    with ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(work, latest)
        while True:
            try:
                return future.result(timeout=POLL_SECONDS)
            except TimeoutError:
                pass
            elapsed = time.monotonic() - began
            # Never 100 % before the answer is written: the explanation may still be computed.
            percent = min(95, int(100 * elapsed / max(limit, 0.1)))
            figures = latest.get()
            if figures is not None and hasattr(figures, "fraction"):
                # The capacity search says itself how far it is.
                percent = min(95, int(100 * figures.fraction))
                message = figures.message
            elif figures is None:
                message = _("Recherche d'un premier planning…")
            else:
                message = _(
                    "%(solutions)d planning(s) trouvé(s), meilleur score %(objective).0f "
                    "(borne %(bound).0f)"
                ) % {
                    "solutions": figures.solutions,
                    "objective": figures.objective,
                    "bound": figures.bound,
                }
            progress_update(progress, done=percent, total=100, message=message)


@task()
def plan_cohort(progress_id: int, run_id: int) -> None:
    # No request in the worker: messages in the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        progress = TaskProgress.objects.get(pk=progress_id)
        try:
            _plan_cohort(progress, PlanRun.objects.select_related("cohort__site").get(pk=run_id))
        except Exception as error:  # the page must show the failure rather than spin forever
            progress_fail(progress, _("Échec de la planification : %(error)s") % {"error": error})
            raise


def _plan_cohort(progress: TaskProgress, run: PlanRun) -> None:
    from tremplin.engine.timetable.cpsat import solve

    assert run.cohort is not None
    progress_update(progress, done=0, total=100, message=_("Lecture du plateau"))
    problem = adapter.cohort_problem(run.cohort, today=timezone.localdate())
    limit = time_limit()
    plan = run_with_progress(
        lambda callback: solve(problem, time_limit=limit, seed=0, workers=2, progress=callback),
        progress,
        limit,
    )
    plan_record(run=run, problem=problem_to_json(problem), plan=plan)
    if plan.found:
        message = _("%(count)d séances proposées") % {"count": len(plan.sessions)}
    else:
        message = _("Aucun planning possible : voir l'explication")
    progress_finish(progress, message=message)


@task()
def study_capacity(progress_id: int, run_id: int) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        progress = TaskProgress.objects.get(pk=progress_id)
        try:
            _study_capacity(progress, PlanRun.objects.select_related("site").get(pk=run_id))
        except Exception as error:
            progress_fail(
                progress, _("Échec de l'étude de capacité : %(error)s") % {"error": error}
            )
            raise


def _study_capacity(progress: TaskProgress, run: PlanRun) -> None:
    from tremplin.engine.timetable.capacity import capacity

    from .capacity import CapacityInputError, capacity_data, capacity_inputs, trainer_names

    assert run.year is not None
    progress_update(progress, done=0, total=100, message=_("Lecture du plateau"))
    try:
        base, template = capacity_inputs(run.site, run.year)
    except CapacityInputError as error:
        capacity_record(run=run, result={"status": "error", "error": error.message})
        progress_finish(progress, message=error.message)
        return
    year = run.year
    limit = time_limit()
    answer = run_with_progress(
        lambda callback: capacity(
            base,
            cohort_template=template,
            year_start=datetime.date(year, 1, 1),
            year_end=datetime.date(year, 12, 31),
            time_limit=limit,
            progress=callback,
        ),
        progress,
        limit,
    )
    capacity_record(run=run, result=capacity_data(answer, trainer_names(run.site)))
    progress_finish(progress, message=answer.summary[:300])
