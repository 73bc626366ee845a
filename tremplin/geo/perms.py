"""Who may use the geography pages: importing QPV outlines, looking an address up."""

from typing import Any

from tremplin.accounts.enums import Role
from tremplin.accounts.roles import is_network_admin


def can_import_qpv(user: Any) -> bool:
    """The QPV set is national reference data: network admins only."""
    return is_network_admin(user)


def can_lookup_location(user: Any) -> bool:
    """Those who check a person's address when referring or selecting them."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role in (Role.PRESCRIBER, Role.COORDINATOR, Role.NETWORK_ADMIN)
    )
