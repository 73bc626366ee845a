"""« Importer des offres France Travail »: upload, preview (per-offer problems or counts), import.

The previewed file travels to the confirmation inside a signed, compressed token bound to the
user and valid an hour, so nothing is stored between the two steps; the confirmation reads
the file again from scratch, since openings may have changed in the meantime.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tremplin.employers.francetravail import read_offer_file
from tremplin.employers.imports import (
    OffersImportRejected,
    offers_import,
    offers_preview,
)
from tremplin.employers.perms import can_import_offers
from tremplin.www.forms import SignedConfirmForm, StyledForm, error_summary
from tremplin.www.http import AuthedRequest

# The token carries the file in the confirmation form's body, which Django caps at 2.5 MB
# (DATA_UPLOAD_MAX_MEMORY_SIZE): 2 MB of JSON compresses far below that. Larger exports go
# through ``manage.py import_ft_offers``.
MAX_FILE_BYTES = 2 * 1024 * 1024
CONFIRM_SALT = "tremplin.employers.ft-offers"
CONFIRM_MAX_AGE = 3600
PREVIEW_ROWS = 15


class OfferUploadForm(StyledForm):
    file = forms.FileField(
        label=gettext_lazy("Fichier d'offres France Travail (JSON)"),
        help_text=gettext_lazy(
            "La réponse de l'API « Offres d'emploi v2 » ou une liste d'offres au même format, "
            "2 Mo au plus. Le fichier est vérifié en entier avant tout import."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def clean_file(self) -> tuple[str, bytes]:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("Fichier trop volumineux (2 Mo au plus) : utilisez la commande import_ft_offers.")
            )
        return upload.name or "offres.json", upload.read()


class OfferConfirmForm(SignedConfirmForm):
    salt = CONFIRM_SALT
    max_age = CONFIRM_MAX_AGE
    compress = True  # the offers file itself travels in the token

    def clean_token(self) -> tuple[str, bytes]:
        data = self.signed_data()
        return str(data["name"]), str(data["content"]).encode("utf-8")


def opening_import(request: AuthedRequest) -> HttpResponse:
    if not can_import_offers(request.user):
        raise PermissionDenied
    posted = request.method == "POST"
    form = OfferUploadForm(request.POST, request.FILES) if posted else OfferUploadForm()
    if posted and form.is_valid():
        name, content = form.cleaned_data["file"]
        report = read_offer_file(content)
        context: dict[str, Any] = {"report": report, "source_name": name}
        if report.ok:
            context["plan"] = offers_preview(report)
            context["sample"] = report.offers[:PREVIEW_ROWS]
            context["token"] = OfferConfirmForm.sign(
                # The file decoded cleanly (report.ok), so it round-trips as text.
                {"name": name, "content": content.decode("utf-8-sig")},
                user_id=request.user.pk,
            )
        return render(request, "employers/ft_import_preview.html", context)
    return render(request, "employers/ft_import.html", {"form": form})


@require_POST
def opening_import_confirm(request: AuthedRequest) -> HttpResponse:
    if not can_import_offers(request.user):
        raise PermissionDenied
    form = OfferConfirmForm(request.POST, user_id=request.user.pk)
    if not form.is_valid():
        messages.error(request, error_summary(form))
        return redirect("opening_import")
    name, content = form.cleaned_data["token"]
    report = read_offer_file(content)
    try:
        result = offers_import(by=request.user, report=report)
    except OffersImportRejected as error:
        if error.report is not None:
            return render(
                request,
                "employers/ft_import_preview.html",
                {"report": error.report, "source_name": name},
            )
        messages.error(request, error.message)
        return redirect("opening_import")
    messages.success(
        request,
        _("%(created)s offre(s) créée(s), %(updated)s mise(s) à jour depuis « %(name)s ».")
        % {"created": result.created, "updated": result.updated, "name": name},
    )
    return redirect("opening_list")
