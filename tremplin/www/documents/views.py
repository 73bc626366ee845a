"""Documents pages: a cohort's certificats and attestations, generating them, downloading one."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin.cohorts.perms import get_cohort_for_user, get_enrolment_for_user
from tremplin.core.models import TaskProgress
from tremplin.core.progress import progress_start
from tremplin.documents import perms
from tremplin.documents.enums import DocumentKind
from tremplin.documents.selectors import cohort_documents as cohort_rows
from tremplin.documents.services import DocumentError, document_generate
from tremplin.documents.tasks import generate_cohort_documents
from tremplin.www.http import AuthedRequest


def _kind(request: AuthedRequest) -> DocumentKind | None:
    try:
        return DocumentKind(request.POST.get("kind", ""))
    except ValueError:
        return None


def cohort_documents(request: AuthedRequest, cohort_id: int) -> HttpResponse:
    cohort = get_cohort_for_user(request.user, cohort_id)
    progress = None
    task_id = request.GET.get("tache", "")
    if task_id.isdigit():
        # Only the user's own task: another's progress id shows nothing.
        progress = TaskProgress.objects.filter(
            pk=int(task_id), owner=request.user, kind="cohort_documents"
        ).first()
    return render(
        request,
        "documents/cohort_documents.html",
        {
            "cohort": cohort,
            "rows": cohort_rows(cohort),
            "kinds": DocumentKind.choices,
            "can_generate": perms.can_generate_documents(request.user, cohort),
            "progress": progress,
        },
    )


@require_POST
def cohort_documents_generate(request: AuthedRequest, cohort_id: int) -> HttpResponse:
    cohort = get_cohort_for_user(request.user, cohort_id)
    if not perms.can_generate_documents(request.user, cohort):
        raise PermissionDenied
    kind = _kind(request)
    if kind is None:
        messages.error(request, _("Choisissez le document à générer."))
        return redirect("cohort_documents", cohort.pk)
    by = request.user
    progress = progress_start(
        owner=by,
        kind="cohort_documents",
        label=_("%(kind)s — %(cohort)s") % {"kind": kind.label, "cohort": cohort.name},
        enqueue=lambda pk: generate_cohort_documents.enqueue(pk, cohort.pk, kind.value, by.pk),
    )
    return redirect(f"{reverse('cohort_documents', args=[cohort.pk])}?tache={progress.pk}")


@require_POST
def enrolment_document_generate(request: AuthedRequest, enrolment_id: int) -> HttpResponse:
    enrolment = get_enrolment_for_user(request.user, enrolment_id)
    cohort = enrolment.cohort
    if not perms.can_generate_documents(request.user, cohort):
        raise PermissionDenied
    kind = _kind(request)
    if kind is None:
        messages.error(request, _("Choisissez le document à générer."))
        return redirect("cohort_documents", cohort.pk)
    try:
        document = document_generate(enrolment=enrolment, kind=kind, by=request.user)
    except DocumentError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(kind)s de %(name)s : version %(version)d générée.")
            % {"kind": kind.label, "name": enrolment.person.full_name, "version": document.version},
        )
    return redirect("cohort_documents", cohort.pk)


def document_download(request: AuthedRequest, document_id: int) -> HttpResponse:
    document = perms.get_document_for_user(request.user, document_id)
    try:
        # A few hundred kilobytes: read whole, so the file is closed before the answer leaves.
        with document.file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        raise Http404 from None
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, document.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
