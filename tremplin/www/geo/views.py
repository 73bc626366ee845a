"""Geography pages: the QPV file upload (preview, then import in the background) and the
address/coordinates lookup used to check where a person lives."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin.core.progress import progress_start
from tremplin.geo.perms import can_import_qpv, can_lookup_location
from tremplin.geo.qpv_file import read_qpv_file
from tremplin.geo.selectors import current_qpv_import, qpv_imports
from tremplin.geo.services import GeoError, Location, locate_address, locate_point
from tremplin.geo.tasks import import_qpv_upload
from tremplin.geo.uploads import store_upload
from tremplin.people.enums import LocationSource
from tremplin.www.forms import error_summary
from tremplin.www.http import AuthedRequest

from .forms import (
    LocationLookupForm,
    PendingImport,
    QpvConfirmForm,
    QpvUploadForm,
    sign_pending,
)

PREVIEW_ROWS = 15


def qpv_import(request: AuthedRequest) -> HttpResponse:
    if not can_import_qpv(request.user):
        raise PermissionDenied
    posted = request.method == "POST"
    form = QpvUploadForm(request.POST, request.FILES) if posted else QpvUploadForm()
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        report = read_qpv_file(upload.content)
        token = ""
        if report.ok:
            pending = PendingImport(
                upload_name=store_upload(upload.content), source_name=upload.name
            )
            token = sign_pending(pending, user_id=request.user.pk)
        return render(
            request,
            "geo/qpv_preview.html",
            {
                "report": report,
                "source_name": upload.name,
                "sample": report.rows[:PREVIEW_ROWS],
                "token": token,
                "current": current_qpv_import(),
            },
        )
    return render(
        request,
        "geo/qpv_import.html",
        {"form": form, "current": current_qpv_import(), "history": qpv_imports()[:10]},
    )


@require_POST
def qpv_import_confirm(request: AuthedRequest) -> HttpResponse:
    if not can_import_qpv(request.user):
        raise PermissionDenied
    form = QpvConfirmForm(request.POST, user_id=request.user.pk)
    if not form.is_valid():
        messages.error(request, error_summary(form))
        return redirect("qpv_import")
    pending: PendingImport = form.cleaned_data["token"]
    progress = progress_start(
        owner=request.user,
        kind="qpv_import",
        label=_("Import des quartiers prioritaires — %(file)s") % {"file": pending.source_name},
        enqueue=lambda pk: import_qpv_upload.enqueue(pk, pending.upload_name, pending.source_name),
    )
    return redirect("task_progress", progress.pk)


def location_lookup(request: AuthedRequest) -> HttpResponse:
    if not can_lookup_location(request.user):
        raise PermissionDenied
    form = LocationLookupForm(request.GET or None)
    location: Location | None = None
    searched = False
    if form.is_bound and form.is_valid():
        searched = True
        data = form.cleaned_data
        try:
            if form.by_coordinates:
                location = locate_point(longitude=data["longitude"], latitude=data["latitude"])
            else:
                location = locate_address(
                    address=data["address"],
                    postal_code=data["postal_code"],
                    commune=data["commune"],
                )
        except GeoError as error:
            form.add_error(None, error.message)
    return render(
        request,
        "geo/location_lookup.html",
        {
            "form": form,
            "searched": searched,
            "location": location,
            "source_label": LocationSource(location.source).label if location else "",
            "qpv_loaded": current_qpv_import() is not None,
        },
    )
