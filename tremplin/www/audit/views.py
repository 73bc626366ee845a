"""The audit journal, for the network's admins: every write, newest first, filtered."""

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tremplin.core.perms import can_read_audit_journal
from tremplin.core.selectors import audit_journal, masked_details
from tremplin.www.exports import export_response, requested_format
from tremplin.www.http import AuthedRequest

from .forms import JournalFilterForm
from .tables import journal_table

PAGE_SIZE = 50
# An export is built in memory: beyond this, the page asks for narrower filters.
EXPORT_MAX = 50_000


def audit_journal_view(request: AuthedRequest) -> HttpResponse:
    if not can_read_audit_journal(request.user):
        raise PermissionDenied
    form = JournalFilterForm(request.GET or None)
    entries = audit_journal(**form.filters())
    if requested_format(request) and (total := entries.count()) > EXPORT_MAX:
        messages.error(
            request,
            _(
                "%(count)s entrées : trop pour un export (%(max)s au plus). Resserrez les "
                "filtres, par exemple sur une période plus courte."
            )
            % {"count": total, "max": EXPORT_MAX},
        )
    elif export := export_response(
        request, table=journal_table, rows=entries, filename="journal-audit"
    ):
        return export
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = {m._meta.model_name: m._meta.verbose_name for m in apps.get_models()}
    rows = [
        {
            "entry": entry,
            "object_label": labels.get(entry.object_type, entry.object_type),
            "details": masked_details(entry.details),
        }
        for entry in page.object_list
    ]
    return render(request, "audit/journal.html", {"form": form, "page": page, "rows": rows})
