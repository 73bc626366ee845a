"""The cohort-wide generation in the background: one document per learner, progress to done."""

from typing import Any

from tests.documents.builders import sealed_monday
from tremplin.core.models import TaskProgress
from tremplin.core.progress import progress_start
from tremplin.documents.models import LearnerDocument
from tremplin.documents.tasks import generate_cohort_documents


def test_the_task_generates_every_learners_certificat_and_reaches_done(
    world: Any, frozen_clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    learners = sealed_monday(world, frozen_clock).learners
    coordinator = world.user("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        progress = progress_start(
            owner=coordinator,
            kind="cohort_documents",
            label="Certificats",
            enqueue=lambda pk: generate_cohort_documents.enqueue(
                pk, world.running.pk, "certificat", coordinator.pk
            ),
        )
    progress.refresh_from_db()
    assert progress.status == TaskProgress.Status.DONE
    assert progress.done == progress.total == 3 and progress.percent == 100
    assert progress.message == "3 documents générés"
    made = LearnerDocument.objects.filter(kind="certificat")
    assert sorted(d.enrolment_id for d in made) == sorted(e.pk for e in learners)
    assert {d.version for d in made} == {1} and {d.generated_by for d in made} == {coordinator}
