"""Writes on people: merging two records of one person, and undoing a merge.

A merge keeps one record, takes chosen values from the other (by default the kept record's
values, its blanks filled from the other), moves every row that points at the removed person
to the kept one, then deletes the removed record. "Every row" is found by walking the
relations to ``Person`` (``Person._meta``), so rows of models other contexts add later
(eligibility diagnostics, proofs, import rows) move without a change here.

The log (``PersonMerge.snapshot``) holds both records before, the kept one after, and each
moved row (model label, pk, field): undoing restores the removed record with its id and
fields and moves back exactly those rows, provided none of them changed person since.
"""

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, models, transaction
from django.db.models import Field, ForeignKey, ForeignObjectRel, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.audit import audit

from .enums import MergeChoice
from .models import Person, PersonMerge, identity_key
from .perms import network_id_of


class PeopleError(Exception):
    """A refused write; ``message`` is translated into the active language, for the page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# The address and what was found from it (coordinates, QPV) come from the same record.
LOCATION_FIELDS = (
    "address",
    "postal_code",
    "commune",
    "commune_insee",
    "latitude",
    "longitude",
    "location_source",
    "qpv_code",
    "qpv_name",
    "located_at",
)
# Fields no one chooses: the key follows the names; consent is never given back by a merge
# (the more protective answer wins); the person is known since the earlier record.
RULED_FIELDS = (
    "id",
    "identity_key",
    "account",
    "created_at",
    "consent_programme",
    "consent_employers",
    "consent_at",
)


@dataclass(frozen=True)
class FieldGroup:
    key: str
    label: str
    fields: tuple[str, ...]


def merge_groups() -> list[FieldGroup]:
    """The values a merge may take from either record, one choice per group."""
    groups = []
    fields: tuple[str, ...]
    for model_field in Person._meta.concrete_fields:
        name = model_field.name
        if name in RULED_FIELDS or (name in LOCATION_FIELDS and name != "address"):
            continue
        if name == "address":
            label, fields = _("Adresse et localisation"), LOCATION_FIELDS
        else:
            label, fields = str(model_field.verbose_name), (name,)
        groups.append(FieldGroup(key=name, label=label[:1].upper() + label[1:], fields=fields))
    return groups


def _blank(value: Any) -> bool:
    return value is None or value == ""


def default_choices(kept: Person, removed: Person) -> dict[str, str]:
    """The kept record's values, except where it has none and the other has.

    A group is blank when its first field is (the address, for the address and the location
    found from it): the other record's address then comes with its commune and coordinates.
    """
    choices: dict[str, str] = {}
    for group in merge_groups():
        use_other = _blank(getattr(kept, group.key)) and not _blank(getattr(removed, group.key))
        choices[group.key] = MergeChoice.OTHER if use_other else MergeChoice.KEPT
    return choices


def _dump(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def _load(field: Field[Any, Any], value: Any) -> Any:
    return None if value is None else field.to_python(value)


def person_fields(person: Person) -> dict[str, Any]:
    """Every column of a person, as JSON values (dates in ISO format, relations by id)."""
    return {f.attname: _dump(getattr(person, f.attname)) for f in Person._meta.concrete_fields}


def person_relations() -> list[ForeignKey[Any, Any]]:
    """Every foreign key (one-to-one included) that points at Person, hidden ones too.

    Many-to-many relations show up here through their intermediate model's foreign key.
    """
    relations = []
    for rel in Person._meta.get_fields(include_hidden=True):
        if isinstance(rel, ForeignObjectRel) and isinstance(rel.field, ForeignKey):
            relations.append(rel.field)
    return relations


def related_counts(person: Person) -> list[tuple[str, int]]:
    """How many rows of each kind point at ``person``: what a merge would move."""
    counts = []
    for fk in person_relations():
        n = fk.model._base_manager.filter(**{fk.name: person}).count()
        if n:
            counts.append((str(fk.model._meta.verbose_name_plural), n))
    return counts


def _unique_sets(model: type[Model]) -> list[tuple[tuple[str, ...], models.Q | None]]:
    sets: list[tuple[tuple[str, ...], models.Q | None]] = [
        (tuple(fields), None) for fields in model._meta.unique_together
    ]
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            sets.append((tuple(constraint.fields), constraint.condition))
    return sets


def _conflict(fk: ForeignKey[Any, Any], moving: list[int], kept: Person) -> str | None:
    """Why moving these rows to ``kept`` would break a uniqueness rule, or None."""
    model = fk.model
    name = str(model._meta.verbose_name)
    manager = model._base_manager
    if fk.unique and manager.filter(**{fk.name: kept}).exists():
        return _(
            "Fusion impossible : les deux personnes ont chacune une fiche « %(model)s », et une "
            "personne ne peut en avoir qu'une."
        ) % {"model": name}
    for fields, condition in _unique_sets(model):
        if fk.name not in fields:
            continue
        others = [f for f in model._meta.concrete_fields if f.name in fields and f.name != fk.name]
        rows = manager.filter(pk__in=moving)
        if condition is not None:
            rows = rows.filter(condition)
        for row in rows:
            same = manager.filter(
                **{fk.name: kept}, **{f.attname: getattr(row, f.attname) for f in others}
            )
            if condition is not None:
                same = same.filter(condition)
            if same.exists():
                what = ", ".join(
                    _("%(field)s : « %(value)s »")
                    % {"field": f.verbose_name, "value": getattr(row, f.name)}
                    for f in others
                )
                return _(
                    "Fusion impossible : les deux personnes ont chacune une fiche « %(model)s » "
                    "(%(what)s). Une personne ne peut en avoir qu'une : réglez ce doublon avant "
                    "de fusionner."
                ) % {"model": name, "what": what}
    return None


def _move_rows(kept: Person, removed: Person) -> list[dict[str, Any]]:
    moved: list[dict[str, Any]] = []
    plan = []
    for fk in person_relations():
        manager = fk.model._base_manager
        pks = list(
            manager.select_for_update().filter(**{fk.name: removed}).values_list("pk", flat=True)
        )
        if not pks:
            continue
        problem = _conflict(fk, pks, kept)
        if problem:
            raise PeopleError(problem)
        plan.append((fk, pks))
    for fk, pks in plan:
        try:
            with transaction.atomic():
                fk.model._base_manager.filter(pk__in=pks).update(
                    **{fk.attname: getattr(kept, fk.target_field.attname)}
                )
        except IntegrityError:
            raise PeopleError(
                _("Fusion impossible : une règle d'unicité de « %(model)s » l'interdit.")
                % {"model": fk.model._meta.verbose_name}
            ) from None
        label = fk.model._meta.label_lower
        moved += [{"model": label, "pk": pk, "field": fk.name} for pk in sorted(pks)]
    return moved


def person_merge(
    *,
    kept: Person,
    removed: Person,
    by: Any,
    choices: Mapping[str, str] | None = None,
) -> PersonMerge:
    """Make ``removed`` part of ``kept``; ``choices`` says, per group of fields (merge_groups),
    which record's value to keep ("kept" or "other"); missing groups take default_choices."""
    if kept.pk == removed.pk:
        raise PeopleError(_("Une personne ne peut pas être fusionnée avec elle-même."))
    network_id = network_id_of(by)
    if network_id is None:
        raise PeopleError(
            _("Seuls les coordinateurs et les administrateurs du réseau fusionnent des fiches.")
        )
    groups = {group.key: group for group in merge_groups()}
    unknown = [k for k, v in (choices or {}).items() if k not in groups or v not in MergeChoice]
    if unknown:
        raise PeopleError(
            _("Choix de fusion invalide : %(fields)s.") % {"fields": ", ".join(unknown)}
        )
    with transaction.atomic():
        locked = Person.objects.select_for_update().in_bulk([kept.pk, removed.pk])
        if len(locked) != 2:
            raise PeopleError(_("L'une des deux fiches n'existe plus : rechargez la page."))
        kept, removed = locked[kept.pk], locked[removed.pk]
        if kept.account_id and removed.account_id:
            raise PeopleError(
                _(
                    "Fusion impossible : les deux personnes ont chacune un compte apprenant, et "
                    "une personne ne peut en avoir qu'un."
                )
            )
        chosen = default_choices(kept, removed) | dict(choices or {})
        kept_before, removed_before = person_fields(kept), person_fields(removed)
        for key, choice in chosen.items():
            if choice == MergeChoice.OTHER:
                for name in groups[key].fields:
                    setattr(kept, name, getattr(removed, name))
        kept.identity_key = identity_key(kept.first_name, kept.last_name, kept.birth_date)
        if (
            Person.objects.exclude(pk__in=[kept.pk, removed.pk])
            .filter(identity_key=kept.identity_key)
            .exists()
        ):
            raise PeopleError(
                _(
                    "Une troisième fiche porte déjà ces nom, prénom et date de naissance : "
                    "fusionnez-la d'abord."
                )
            )
        kept.account_id = kept.account_id or removed.account_id
        kept.consent_employers = kept.consent_employers and removed.consent_employers
        dates = [d for d in (kept.consent_at, removed.consent_at) if d is not None]
        kept.consent_at = max(dates) if dates else None
        kept.created_at = min(kept.created_at, removed.created_at)
        moved = _move_rows(kept, removed)
        Person.objects.filter(pk=removed.pk).delete()
        kept_after = person_fields(kept)
        changed = [
            f.name
            for f in Person._meta.concrete_fields
            if kept_before[f.attname] != kept_after[f.attname]
        ]
        if changed:
            kept.save(update_fields=changed)
        merge = PersonMerge.objects.create(
            at=timezone.now(),
            by=by,
            network_id=network_id,
            kept_person_id=kept.pk,
            removed_person_id=removed.pk,
            snapshot={
                "kept_before": kept_before,
                "removed": removed_before,
                "kept_after": kept_after,
                "choices": chosen,
                "moved": moved,
            },
        )
        audit(
            actor=by,
            action="person.merge",
            obj=kept,
            removed=removed.pk,
            merge=merge.pk,
            moved=len(moved),
        )
    return merge


@dataclass(frozen=True)
class UndoResult:
    restored: Person
    moved_back: int
    # Fields of the kept person the merge changed and someone changed again since: they keep
    # their current value.
    left_as_is: list[str]


def _owner_problems(merge: PersonMerge) -> tuple[dict[tuple[str, str], list[int]], list[str]]:
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for row in merge.snapshot["moved"]:
        groups[row["model"], row["field"]].append(row["pk"])
    problems = []
    for (label, name), pks in groups.items():
        try:
            model = apps.get_model(label)
            fk = model._meta.get_field(name)
        except (LookupError, FieldDoesNotExist):
            problems.append(_("« %(model)s » n'existe plus") % {"model": label})
            continue
        owners = dict(
            model._base_manager.select_for_update().filter(pk__in=pks).values_list("pk", fk.attname)
        )
        verbose = model._meta.verbose_name
        for pk in pks:
            if pk not in owners:
                problems.append(
                    _("%(model)s n° %(pk)s a été supprimée") % {"model": verbose, "pk": pk}
                )
            elif owners[pk] != merge.kept_person_id:
                problems.append(
                    _("%(model)s n° %(pk)s est rattachée à une autre personne")
                    % {"model": verbose, "pk": pk}
                )
    return groups, problems


def person_merge_undo(*, merge: PersonMerge, by: Any) -> UndoResult:
    """Give the removed person back their record (same id) and the rows that moved."""
    with transaction.atomic():
        merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
        if merge.undone_at is not None:
            raise PeopleError(_("Cette fusion a déjà été annulée."))
        kept = Person.objects.select_for_update().filter(pk=merge.kept_person_id).first()
        if kept is None:
            raise PeopleError(
                _(
                    "Annulation impossible : la fiche conservée a depuis été fusionnée ou "
                    "supprimée. Annulez d'abord la fusion suivante."
                )
            )
        if Person.objects.filter(pk=merge.removed_person_id).exists():
            raise PeopleError(_("Annulation impossible : la fiche retirée existe déjà."))
        groups, problems = _owner_problems(merge)
        if problems:
            raise PeopleError(
                _("Annulation impossible : depuis la fusion, %(problems)s.")
                % {"problems": _(" ; ").join(problems[:5])}
            )
        before, after = merge.snapshot["kept_before"], merge.snapshot["kept_after"]
        current = person_fields(kept)
        reverted, left = [], []
        for f in Person._meta.concrete_fields:
            if f.name in ("id", "identity_key") or f.attname not in before:
                continue
            if before[f.attname] == after.get(f.attname):
                continue
            if current[f.attname] == after.get(f.attname):
                setattr(kept, f.attname, _load(f, before[f.attname]))
                reverted.append(f.name)
            else:
                left.append(f.name)
        kept.identity_key = identity_key(kept.first_name, kept.last_name, kept.birth_date)
        removed_fields = merge.snapshot["removed"]
        removed = Person(
            **{
                f.attname: _load(f, removed_fields[f.attname])
                for f in Person._meta.concrete_fields
                if f.attname in removed_fields
            }
        )
        clash = Person.objects.exclude(pk=kept.pk).filter(
            identity_key__in=[kept.identity_key, removed.identity_key]
        )
        if clash.exists() or kept.identity_key == removed.identity_key:
            raise PeopleError(
                _(
                    "Annulation impossible : une autre fiche porte désormais les mêmes nom, "
                    "prénom et date de naissance."
                )
            )
        kept.save(update_fields=[*reverted, "identity_key"])
        if removed.account_id and Person.objects.filter(account_id=removed.account_id).exists():
            removed.account_id = None  # linked to someone else since: the account stays there
        try:
            with transaction.atomic():
                removed.save(force_insert=True)
        except IntegrityError:
            raise PeopleError(
                _("Annulation impossible : la fiche retirée ne peut pas être recréée.")
            ) from None
        # created_at is set on insert (auto_now_add): give the record its own date back.
        Person.objects.filter(pk=removed.pk).update(
            created_at=_load(Person._meta.get_field("created_at"), removed_fields["created_at"])
        )
        moved_back = 0
        for (label, name), pks in groups.items():
            model = apps.get_model(label)
            fk = model._meta.get_field(name)
            moved_back += model._base_manager.filter(pk__in=pks).update(**{fk.attname: removed.pk})
        merge.undone_at, merge.undone_by = timezone.now(), by
        merge.save(update_fields=["undone_at", "undone_by"])
        audit(
            actor=by,
            action="person.merge_undo",
            obj=merge,
            restored=removed.pk,
            moved_back=moved_back,
            left_as_is=",".join(left),
        )
    removed.refresh_from_db()
    return UndoResult(restored=removed, moved_back=moved_back, left_as_is=left)
