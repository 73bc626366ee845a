"""Links to a person's « Situation et santé » and « Consentements » pages, shown only to the
users privacy.perms lets in (the person's coordinators, the person themself)."""

from typing import Any

from django import template

from tremplin.privacy import perms

register = template.Library()


@register.inclusion_tag("privacy/includes/links.html", takes_context=True)
def privacy_links(context: template.Context, person: Any = None) -> dict[str, Any]:
    """For ``person``, or without one for the learner's own record (their « Mon parcours »)."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {"person": None}
    if person is None:
        person = getattr(user, "person", None) if perms.may_hold_sensitive_data(user) else None
    if person is None or not perms.can_read_sensitive(user, person):
        return {"person": None}
    return {"person": person, "own": perms.acts_for_themself(user, person)}
