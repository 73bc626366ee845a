"""Who may read the cross-cutting records of core: the audit journal."""

from typing import Any

from tremplin.accounts.roles import is_network_admin


def can_read_audit_journal(user: Any) -> bool:
    """The journal covers every site and every person: the network's admins only."""
    return is_network_admin(user)
