"""One door to the rights pages: who exports, rectifies, erases a person's data, who reads the
retention notices.

The person is reached through ``people.perms.get_person_for_user`` (404 for people the user
does not follow). Coordinators and network admins export and rectify; erasure, which cannot be
undone, is for network admins only. Learners download their own export.
"""

from typing import Any

from tremplin.accounts.enums import Role
from tremplin.accounts.roles import is_network_admin
from tremplin.people.perms import can_manage_people


def can_exercise_rights(user: Any) -> bool:
    return can_manage_people(user)


def can_erase(user: Any) -> bool:
    return is_network_admin(user)


def can_read_retention(user: Any) -> bool:
    return can_manage_people(user)


def is_learner(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.LEARNER)
