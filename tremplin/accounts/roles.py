"""Small predicates on a user's role, shared by every context's perms.py."""

from typing import Any

from .enums import Role


def is_network_admin(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.NETWORK_ADMIN)


def is_coordinator_of(user: Any, site_id: int | None) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.role == Role.COORDINATOR
        and site_id is not None
        and user.site_id == site_id
    )


def manages_site(user: Any, site: Any) -> bool:
    """A coordinator of the site, or an admin of the network the site belongs to."""
    if is_network_admin(user):
        return bool(site.network_id == user.organisation_id)
    return is_coordinator_of(user, site.pk)
