"""A user sees only the tasks they started."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from tremplin.core.models import TaskProgress
from tremplin.core.progress import progress_result
from tremplin.www.http import AuthedRequest


def _get_progress(request: AuthedRequest, progress_id: int) -> TaskProgress:
    return get_object_or_404(TaskProgress, pk=progress_id, owner=request.user)


def task_progress(request: AuthedRequest, progress_id: int) -> HttpResponse:
    progress = _get_progress(request, progress_id)
    template = "tasks/progress_bar.html" if request.htmx else "tasks/progress.html"
    return render(request, template, {"progress": progress})


def task_download(request: AuthedRequest, progress_id: int) -> HttpResponse:
    progress = _get_progress(request, progress_id)
    if progress.status != TaskProgress.Status.DONE or not progress.result_name:
        raise Http404(_("Le résultat n'est pas prêt."))
    content, content_type = progress_result(progress)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{progress.result_name}"'
    return response
