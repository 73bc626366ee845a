"""Rights pages (GDPR): a person's data exported (JSON, PDF), rectified, erased; the retention
notices of the user's site or network; a learner's own export.

Each page checks the role first (403), then fetches the person through
``people.perms.get_person_for_user`` (404 for people the user does not follow).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin.core.audit import audit
from tremplin.gdpr import perms
from tremplin.gdpr.export import person_export_json, person_export_pdf
from tremplin.gdpr.models import Anonymisation
from tremplin.gdpr.retention import RULES, WARNING_DAYS
from tremplin.gdpr.selectors import erasure_check, notices_for_user, person_due_of
from tremplin.gdpr.services import GdprError, person_erase, person_rectify
from tremplin.people.models import Person
from tremplin.people.perms import get_person_for_user
from tremplin.www.forms import error_summary
from tremplin.www.http import AuthedRequest

from .forms import EraseForm, RectifyForm


def _person(request: AuthedRequest, person_id: int) -> Person:
    if not perms.can_exercise_rights(request.user):
        raise PermissionDenied
    return get_person_for_user(request.user, person_id)


def person_rights(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = _person(request, person_id)
    anonymised = Anonymisation.objects.filter(person=person).first()
    return render(
        request,
        "gdpr/person_rights.html",
        {
            "person": person,
            "anonymisation": anonymised,
            "due": None if anonymised else person_due_of(person),
            "erasure": erasure_check(person),
            "can_erase": perms.can_erase(request.user),
            "erase_form": EraseForm(),
        },
    )


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _export(request: AuthedRequest, person: Person, kind: str) -> HttpResponse:
    # Who read whose data, and in which form: the access itself is personal-data processing.
    audit(actor=request.user, action="person.export", obj=person, format=kind)
    name = f"donnees-personne-{person.pk}-{timezone.localdate():%Y%m%d}"
    if kind == "pdf":
        return _download(person_export_pdf(person), "application/pdf", f"{name}.pdf")
    return _download(person_export_json(person), "application/json", f"{name}.json")


def person_export_json_view(request: AuthedRequest, person_id: int) -> HttpResponse:
    return _export(request, _person(request, person_id), "json")


def person_export_pdf_view(request: AuthedRequest, person_id: int) -> HttpResponse:
    return _export(request, _person(request, person_id), "pdf")


def person_rectify_view(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = _person(request, person_id)
    initial = {name: getattr(person, name) for name in RectifyForm.base_fields}
    form = RectifyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = person_rectify(person=person, by=request.user, data=form.cleaned_data)
        except GdprError as error:
            form.add_error(None, error.message)
        else:
            if changed:
                messages.success(request, _("Fiche corrigée."))
            else:
                messages.info(request, _("Rien n'a changé."))
            return redirect("person_rights", person.pk)
    return render(request, "gdpr/person_rectify.html", {"person": person, "form": form})


@require_POST
def person_erase_view(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = _person(request, person_id)
    if not perms.can_erase(request.user):
        raise PermissionDenied
    form = EraseForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_summary(form))
        return redirect("person_rights", person.pk)
    try:
        person_erase(person=person, by=request.user)
    except GdprError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Données effacées : la fiche est anonymisée."))
    return redirect("person_rights", person.pk)


def retention_list(request: AuthedRequest) -> HttpResponse:
    if not perms.can_read_retention(request.user):
        raise PermissionDenied
    return render(
        request,
        "gdpr/retention.html",
        {
            "notices": notices_for_user(request.user)[:500],
            "rules": RULES,
            "warning_days": WARNING_DAYS,
        },
    )


def _own_person(request: AuthedRequest) -> Person:
    if not perms.is_learner(request.user):
        raise PermissionDenied
    person = Person.objects.filter(account=request.user).first()
    if person is None:
        raise Http404
    return person


def learner_export_json(request: AuthedRequest) -> HttpResponse:
    return _export(request, _own_person(request), "json")


def learner_export_pdf(request: AuthedRequest) -> HttpResponse:
    return _export(request, _own_person(request), "pdf")
