"""Rooms assigned after solving: the solver counts labs of a kind as one cumulative resource
(interchangeable rooms), this gives each session its lab.

At each slot the sessions needing the most seats choose first, each taking the smallest
free lab of its kind that seats its group, preferring the lab the same group used last for
the same module (learners find their bench again). The solver's nested capacity constraints
(for every seat threshold, no more sessions than labs of the kind that large) make this
greedy choice always succeed.
"""

from collections.abc import Iterable

from .model import LabSpec
from .units import Unfolded, Unit


class RoomAssignmentError(RuntimeError):
    pass


def assign_rooms(
    unfolded: Unfolded,
    placed: Iterable[tuple[Unit, int]],
    pinned: dict[tuple[tuple[str, str, int], int], str] | None = None,
) -> dict[tuple[tuple[str, str, int], int], str]:
    """(unit key, slot) → lab id, for every placed unit session; ``pinned`` sessions (kept
    from an earlier plan) keep their lab."""
    pinned = pinned or {}
    by_slot: dict[int, list[Unit]] = {}
    for unit, slot in placed:
        by_slot.setdefault(slot, []).append(unit)
    labs: list[LabSpec] = sorted(unfolded.problem.labs, key=lambda lab: (lab.workstations, lab.id))
    last_lab: dict[tuple[str, str, int], str] = {}
    rooms: dict[tuple[tuple[str, str, int], int], str] = {}
    for slot in sorted(by_slot):
        taken = set(unfolded.busy_labs.get(slot, set()))
        taken |= {lab for (key, s), lab in pinned.items() if s == slot}
        for unit in sorted(by_slot[slot], key=lambda u: (-u.group_size, u.key)):
            if (unit.key, slot) in pinned:
                rooms[unit.key, slot] = last_lab[unit.key] = pinned[unit.key, slot]
                continue
            fitting = [
                lab
                for lab in labs
                if lab.kind == unit.module.lab_kind
                and lab.workstations >= unit.group_size
                and lab.id not in taken
            ]
            if not fitting:
                raise RoomAssignmentError(f"no lab for {unit.key} at slot {slot}")
            previous = last_lab.get(unit.key)
            lab = next((lab for lab in fitting if lab.id == previous), fitting[0])
            taken.add(lab.id)
            last_lab[unit.key] = lab.id
            rooms[unit.key, slot] = lab.id
    return rooms
