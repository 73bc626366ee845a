"""Background task of placement: the optimal placement of a cohort over the open positions.

The work is a few seconds for a cohort (top-k ranking with numpy, a min-cost flow, then an
explanation per pair), so unlike the planner it runs in the task's own thread; the
``TaskProgress`` says which step it is at. Input the engine refuses (more locked people
than an opening's positions…) fails the run with the engine's reason and writes nothing
else on the run.
"""

import time

from django.conf import settings
from django.tasks import task
from django.template.defaultfilters import floatformat
from django.utils import translation
from django.utils.translation import gettext as _

from tremplin.core.models import TaskProgress
from tremplin.core.progress import progress_fail, progress_finish, progress_update
from tremplin.engine.matching.model import MatchingInputError

from .match_runs import match_record
from .matching import cohort_placement, open_openings, placeable_enrolments
from .models import MatchRun

# Steps shown on the bar: read the rows; rank, solve and explain (one call of the adapter);
# record the answer.
STEPS = 3


@task()
def match_cohort(progress_id: int, run_id: int) -> None:
    # No request in the worker: messages in the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        progress = TaskProgress.objects.get(pk=progress_id)
        try:
            _match_cohort(progress, MatchRun.objects.select_related("cohort__site").get(pk=run_id))
        except MatchingInputError as error:
            # The coordinator's choices cannot all hold: a result, not a crash of the worker.
            progress_fail(progress, _("Placement impossible : %(error)s") % {"error": error})
        except Exception as error:  # the page must show the failure rather than spin forever
            progress_fail(progress, _("Échec du placement optimal : %(error)s") % {"error": error})
            raise


def _match_cohort(progress: TaskProgress, run: MatchRun) -> None:
    began = time.monotonic()
    progress_update(
        progress, done=0, total=STEPS, message=_("Lecture des apprenants et des offres ouvertes")
    )
    learners = placeable_enrolments(run.cohort.enrolments.all()).count()
    openings = open_openings().count()
    progress_update(
        progress,
        done=1,
        total=STEPS,
        message=_(
            "%(learners)d apprenant(s), %(openings)d offre(s) ouverte(s) : classement des "
            "couples, meilleur placement et explications"
        )
        % {"learners": learners, "openings": openings},
    )
    # ``cohort_placement`` reads the rows, ranks the pairs, solves and explains in one call
    # (it has no progress callback): one step of the bar.
    result = cohort_placement(run.cohort, locked=run.locked, forbidden=run.forbidden)
    progress_update(progress, done=2, total=STEPS, message=_("Enregistrement du résultat"))
    match_record(run=run, result=result, wall_time=round(time.monotonic() - began, 3))
    placed = sum(1 for entry in result["placements"] if entry.get("opening") is not None)
    progress_finish(
        progress,
        message=_("%(placed)d apprenant(s) placé(s) sur %(count)d, score total %(total)s")
        % {
            "placed": placed,
            "count": len(result["placements"]),
            # As the page rounds it (half up), so both show the same figure.
            "total": floatformat(result["total"], 2),
        },
    )
