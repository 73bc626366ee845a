"""Writes on programmes: a programme's modules and their prerequisites."""

from __future__ import annotations

import graphlib
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tremplin.core.audit import audit
from tremplin.plateau.enums import EquipmentType, LabKind

from .enums import TrackKind
from .models import Module, Programme


class ModuleError(Exception):
    """A refused module; ``message`` says why, in the active language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def module_create(
    *,
    by: Any,
    programme: Programme,
    code: str,
    title: str,
    track: str,
    hours: int,
    lab_kind: str,
    equipment_types: Sequence[str] = (),
    description: str = "",
    position: int = 0,
) -> Module:
    """A module of ``programme``; its prerequisites are set by ``module_set_prerequisites``."""
    code, title = code.strip(), title.strip()
    if not code or not title:
        raise ModuleError(_("Un module a un code et un intitulé."))
    if track and track not in TrackKind.values:
        raise ModuleError(_("Filière inconnue : %(track)s.") % {"track": track})
    if not isinstance(hours, int) or hours <= 0:
        raise ModuleError(
            _("La durée du module « %(title)s » est un nombre d'heures positif.") % {"title": title}
        )
    if lab_kind not in LabKind.values:
        raise ModuleError(
            _("Le module « %(title)s » doit indiquer le type de laboratoire requis.")
            % {"title": title}
        )
    unknown = [t for t in equipment_types if t not in EquipmentType.values]
    if unknown:
        raise ModuleError(
            _("Type d'équipement inconnu pour le module « %(title)s » : %(types)s.")
            % {"title": title, "types": ", ".join(unknown)}
        )
    if len(set(equipment_types)) != len(equipment_types):
        raise ModuleError(
            _("Un même type d'équipement figure deux fois dans le module « %(title)s ».")
            % {"title": title}
        )
    if Module.objects.filter(programme=programme, code=code).exists():
        raise ModuleError(_("Le parcours a déjà un module de code %(code)s.") % {"code": code})
    with transaction.atomic():
        module = Module.objects.create(
            programme=programme,
            code=code,
            title=title,
            track=track,
            hours=hours,
            lab_kind=lab_kind,
            equipment_types=list(equipment_types),
            description=description.strip(),
            position=position,
        )
        audit(actor=by, action="module.create", obj=module, programme=programme.pk)
    return module


def _find_cycle(edges: dict[int, set[int]]) -> list[int] | None:
    """The modules of a prerequisite cycle, if ``edges`` (module → its prerequisites) has one."""
    try:
        graphlib.TopologicalSorter(edges).prepare()
    except graphlib.CycleError as error:
        return list(error.args[1])
    return None


def module_set_prerequisites(*, by: Any, module: Module, prerequisites: Sequence[Module]) -> Module:
    """Replace ``module``'s prerequisites: modules of the same programme, without a cycle."""
    for other in prerequisites:
        if other.programme_id != module.programme_id:
            raise ModuleError(
                _("Le prérequis « %(other)s » appartient à un autre parcours.")
                % {"other": other.title}
            )
        if other.pk == module.pk:
            raise ModuleError(
                _("Le module « %(title)s » ne peut pas être son propre prérequis.")
                % {"title": module.title}
            )
    with transaction.atomic():
        # Lock the programme: two coordinators adding opposite prerequisites at once could
        # otherwise each pass the cycle check and together make a cycle.
        Programme.objects.select_for_update().get(pk=module.programme_id)
        edges: dict[int, set[int]] = {}
        through = Module.prerequisites.through.objects.filter(
            from_module__programme_id=module.programme_id
        )
        for source, target in through.values_list("from_module_id", "to_module_id"):
            edges.setdefault(source, set()).add(target)
        edges[module.pk] = {other.pk for other in prerequisites}
        cycle = _find_cycle(edges)
        if cycle is not None:
            titles = dict(Module.objects.filter(pk__in=cycle).values_list("pk", "title"))
            raise ModuleError(
                _(
                    "Ces prérequis formeraient un cercle : %(cycle)s. Un module ne peut pas "
                    "dépendre, même indirectement, de lui-même."
                )
                % {"cycle": " → ".join(f"« {titles[pk]} »" for pk in cycle)}
            )
        module.prerequisites.set(prerequisites)
        audit(
            actor=by,
            action="module.prerequisites",
            obj=module,
            prerequisites=",".join(str(other.pk) for other in prerequisites),
        )
    return module
