"""People pages for coordinators and network admins: search, likely duplicates, merges.

A person is reached through ``people.perms.get_person_for_user`` (404 for people the user does
not follow); merging needs both records to be the user's. Network admins read the merge log
of their network and undo a merge; a coordinator reads the merges they made.
"""

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from tremplin.candidacies.perms import candidacies_for_user
from tremplin.people import perms
from tremplin.people.models import Person
from tremplin.people.selectors import (
    duplicate_pairs_for_user,
    identity_of,
    likely_duplicates,
    person_search,
)
from tremplin.people.services import (
    PeopleError,
    person_merge,
    person_merge_undo,
    related_counts,
)
from tremplin.www.exports import export_response
from tremplin.www.http import AuthedRequest

from .forms import MergeForm, PersonSearchForm, shown
from .tables import merge_table, person_table

PAGE_SIZE = 50


def _model_label(label: str) -> str:
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except LookupError:
        return label


# The columns of a merge's snapshot, and labels for the fields that have no French name.
SNAPSHOT_PARTS = ("kept_before", "removed", "kept_after")
SNAPSHOT_LABELS = {
    "id": gettext_lazy("numéro"),
    "identity_key": gettext_lazy("clé d'identité"),
    "created_at": gettext_lazy("connue depuis le"),
}


def _field_label(name: str) -> str:
    field = Person._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def _managers_only(request: AuthedRequest) -> None:
    if not perms.can_manage_people(request.user):
        raise PermissionDenied


def person_list(request: AuthedRequest) -> HttpResponse:
    _managers_only(request)
    form = PersonSearchForm(request.GET or None)
    people = perms.people_for_user(request.user)
    if form.is_valid() and form.cleaned_data["q"]:
        people = people.filter(person_search(form.cleaned_data["q"]))
    people = people.order_by("last_name", "first_name", "id")
    if export := export_response(request, table=person_table, rows=people, filename="personnes"):
        return export
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "people/person_list.html",
        {"form": form, "page": page, "pairs": duplicate_pairs_for_user(request.user)},
    )


def person_detail(request: AuthedRequest, person_id: int) -> HttpResponse:
    _managers_only(request)
    person = perms.get_person_for_user(request.user, person_id)
    others = perms.people_for_user(request.user).exclude(pk=person.pk)
    form = PersonSearchForm(request.GET or None)
    found: list[Person] = []
    if form.is_valid() and form.cleaned_data["q"]:
        found = list(others.filter(person_search(form.cleaned_data["q"])).order_by("pk")[:20])
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "candidacies": candidacies_for_user(request.user).filter(person=person),
            "related": related_counts(person),
            "duplicates": likely_duplicates(identity_of(person), among=others),
            "form": form,
            "found": found,
        },
    )


def person_merge_view(request: AuthedRequest, kept_id: int, removed_id: int) -> HttpResponse:
    _managers_only(request)
    kept = perms.get_person_for_user(request.user, kept_id)
    removed = perms.get_person_for_user(request.user, removed_id)
    if kept.pk == removed.pk:
        messages.error(request, _("Une personne ne peut pas être fusionnée avec elle-même."))
        return redirect("person_detail", kept.pk)
    # Bound on any POST, even an empty one: every choice has a default.
    data = request.POST if request.method == "POST" else None
    form = MergeForm(data, kept=kept, removed=removed)
    if request.method == "POST" and form.is_valid():
        try:
            merge = person_merge(
                kept=kept, removed=removed, by=request.user, choices=form.choices()
            )
        except PeopleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "Fiches fusionnées : %(name)s (%(moved)s ligne rattachée).",
                    "Fiches fusionnées : %(name)s (%(moved)s lignes rattachées).",
                    merge.moved_count,
                )
                % {"name": merge.kept_name, "moved": merge.moved_count},
            )
            return redirect("person_detail", kept.pk)
    return render(
        request,
        "people/person_merge.html",
        {
            "kept": kept,
            "removed": removed,
            "form": form,
            "kept_related": related_counts(kept),
            "removed_related": related_counts(removed),
        },
    )


def merge_list(request: AuthedRequest) -> HttpResponse:
    _managers_only(request)
    merges = perms.merges_for_user(request.user)
    if export := export_response(request, table=merge_table, rows=merges, filename="fusions"):
        return export
    page = Paginator(merges, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people/merge_list.html", {"page": page})


def merge_detail(request: AuthedRequest, merge_id: int) -> HttpResponse:
    _managers_only(request)
    merge = perms.get_merge_for_user(request.user, merge_id)
    snapshot = merge.snapshot
    fields = [
        {
            "label": SNAPSHOT_LABELS.get(f.name) or str(f.verbose_name),
            "changed": snapshot["kept_before"][f.attname] != snapshot["kept_after"].get(f.attname),
            "values": [shown(f, snapshot[part].get(f.attname)) for part in SNAPSHOT_PARTS],
        }
        for f in Person._meta.concrete_fields
        if f.attname in snapshot["kept_before"]
    ]
    return render(
        request,
        "people/merge_detail.html",
        {
            "merge": merge,
            "fields": fields,
            "moved": [row | {"kind": _model_label(row["model"])} for row in snapshot["moved"]],
            "kept_exists": perms.people_for_user(request.user)
            .filter(pk=merge.kept_person_id)
            .exists(),
            "can_undo": merge.undone_at is None and perms.can_undo_merge(request.user, merge),
        },
    )


@require_POST
def merge_undo(request: AuthedRequest, merge_id: int) -> HttpResponse:
    _managers_only(request)
    merge = perms.get_merge_for_user(request.user, merge_id)
    if not perms.can_undo_merge(request.user, merge):
        raise PermissionDenied
    try:
        result = person_merge_undo(merge=merge, by=request.user)
    except PeopleError as error:
        messages.error(request, error.message)
    else:
        text = ngettext(
            "Fusion annulée : %(name)s retrouve sa fiche et %(moved)s ligne.",
            "Fusion annulée : %(name)s retrouve sa fiche et %(moved)s lignes.",
            result.moved_back,
        ) % {"name": result.restored.full_name, "moved": result.moved_back}
        if result.left_as_is:
            text += " " + _(
                "Modifiés depuis la fusion, ces champs de la fiche conservée gardent leur "
                "valeur actuelle : %(fields)s."
            ) % {"fields": ", ".join(_field_label(name) for name in result.left_as_is)}
        messages.success(request, text)
    return redirect("merge_detail", merge.pk)
