"""``manage.py load_demo --capacity-study`` (what ``make run`` calls) queues the plateau's
capacity study for next year, for the worker to compute; without the flag, nothing is queued."""

import io
from typing import Any

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from tremplin.planner.models import PlanRun

pytestmark = pytest.mark.django_db


def test_make_run_queues_the_capacity_study(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.DEBUG = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", "--capacity-study", stdout=out)
    run = PlanRun.objects.get(kind=PlanRun.Kind.CAPACITY)
    assert run.site.name.startswith("Marseille")
    assert "Étude de capacité du plateau" in out.getvalue()
    queued = DBTaskResult.objects.get(task_path__endswith="study_capacity")
    assert queued.status == "READY"
    assert list(queued.args_kwargs["args"]) == [run.progress_id, run.pk]
