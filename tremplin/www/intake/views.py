"""Bulk referral pages: upload a list, check its preview, confirm; columns and templates."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from tremplin.intake import perms, selectors
from tremplin.intake.blanks import csv_template, xlsx_template
from tremplin.intake.columns import DESCRIPTIONS, columns
from tremplin.intake.enums import ImportStatus
from tremplin.intake.services import (
    IntakeError,
    finished_message,
    import_batch_confirm,
    import_batch_create,
)
from tremplin.intake.uploads import SizeLimitUploadHandler
from tremplin.www.http import AuthedRequest

from .forms import ImportForm

# Problems listed on the preview page; the count covers the rest.
SHOWN_PROBLEMS = 500


@csrf_exempt
def import_upload(request: AuthedRequest) -> HttpResponse:
    # The size limit must be in place before the body is read, which the CSRF check does:
    # hence the check is made inside, once the handler is set (Django's documented way).
    limit = SizeLimitUploadHandler(request, settings.IMPORT_MAX_UPLOAD_BYTES)
    request.upload_handlers.insert(0, limit)
    return _import_upload(request, limit)


@csrf_protect
def _import_upload(request: AuthedRequest, limit: SizeLimitUploadHandler) -> HttpResponse:
    if not perms.can_import(request.user):
        raise PermissionDenied
    # Reading the body first runs the upload handlers, whose verdict the form needs.
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = ImportForm(data, files, user=request.user, too_large=limit.exceeded)
    if form.is_bound and form.is_valid():
        filename, content = form.cleaned_data["file"]
        try:
            batch = import_batch_create(
                owner=request.user,
                cohort=form.cleaned_data["cohort"],
                filename=filename,
                content=content,
            )
        except IntakeError as error:
            form.add_error("file", error.message)
        else:
            return redirect("import_detail", batch.pk)
    return render(
        request,
        "intake/import_upload.html",
        {
            "form": form,
            "batches": perms.batches_for_user(request.user)[:10],
            "max_mb": settings.IMPORT_MAX_UPLOAD_BYTES // (1024 * 1024),
        },
    )


def import_detail(request: AuthedRequest, batch_id: int) -> HttpResponse:
    batch = perms.get_batch_for_user(request.user, batch_id)
    problems, hidden_problems = selectors.preview_problems(batch, limit=SHOWN_PROBLEMS)
    rows, hidden_rows = selectors.preview_rows(batch)
    imported = batch.status == ImportStatus.IMPORTED
    return render(
        request,
        "intake/import_detail.html",
        {
            "batch": batch,
            "problems": problems,
            "hidden_problems": hidden_problems,
            "preview_rows": rows,
            "hidden_rows": hidden_rows,
            "imported_rows": selectors.import_outcomes(batch, request.user) if imported else [],
            "inline_max": settings.IMPORT_INLINE_MAX_ROWS,
        },
    )


@require_POST
def import_confirm(request: AuthedRequest, batch_id: int) -> HttpResponse:
    batch = perms.get_batch_for_user(request.user, batch_id)
    try:
        progress = import_batch_confirm(batch=batch, by=request.user)
    except IntakeError as error:
        messages.error(request, error.message)
        return redirect("import_detail", batch.pk)
    if progress is not None:
        return redirect("task_progress", progress.pk)
    batch.refresh_from_db()
    messages.success(
        request, _("Import terminé : %(result)s") % {"result": finished_message(batch)}
    )
    return redirect("import_detail", batch.pk)


def import_columns(request: AuthedRequest) -> HttpResponse:
    if not perms.can_import(request.user):
        raise PermissionDenied
    rows = [{"column": c, "description": DESCRIPTIONS.get(c.key, "")} for c in columns()]
    return render(request, "intake/import_columns.html", {"rows": rows})


def import_template(request: AuthedRequest, fmt: str) -> HttpResponse:
    if not perms.can_import(request.user):
        raise PermissionDenied
    if fmt == "xlsx":
        content = xlsx_template()
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content, mime = csv_template(), "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="modele-orientations.{fmt}"'
    return response
