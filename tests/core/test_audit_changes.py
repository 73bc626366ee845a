"""The journal says which fields a write changed, old and new values, personal values masked."""

from typing import Any

import pytest
from django.apps import apps
from django.db import models

from tests import factories
from tremplin.core.audit import audit, audit_entry
from tremplin.core.audit_changes import MASKED, audited, changes_of, is_masked
from tremplin.core.models import AuditEntry
from tremplin.core.selectors import details_text, masked_details
from tremplin.employers.models import Opening
from tremplin.employers.services import opening_close
from tremplin.people.models import Person

pytestmark = pytest.mark.django_db


def last_entry(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).latest("id")


def test_a_transition_records_the_status_it_left_and_the_one_it_reached(world: Any) -> None:
    opening = factories.opening(world)
    assert opening.status == "open"

    opening_close(opening=opening, by=world.user("coordinator"), reason="filled_elsewhere")

    changes = last_entry("opening.close").details["changes"]
    assert changes["status"] == {"old": "open", "new": opening.status}
    assert opening.status != "open"


def test_a_creation_lists_every_value_given(world: Any) -> None:
    opening = factories.opening(world, positions=3, description="Poste en équipe")

    changes = last_entry("opening.create").details["changes"]
    assert changes["positions"] == {"old": None, "new": 3}
    assert changes["title"] == {"old": None, "new": opening.title}
    assert changes["employer"] == {"old": None, "new": opening.employer_id}
    # A free-text description may say anything about anyone: only that it was set.
    assert changes["description"] == MASKED


def test_a_second_entry_lists_only_what_changed_since_the_first(world: Any) -> None:
    opening = factories.opening(world, positions=2)
    opening.positions = 4
    opening.save()
    audit(actor=world.user("coordinator"), action="opening.edit", obj=opening)
    assert last_entry("opening.edit").details["changes"] == {"positions": {"old": 2, "new": 4}}

    audit(actor=world.user("coordinator"), action="opening.edit", obj=opening)
    assert "changes" not in last_entry("opening.edit").details


def test_an_object_loaded_changed_and_saved_shows_old_and_new(world: Any) -> None:
    opening = Opening.objects.get(pk=factories.opening(world, positions=2).pk)
    opening.positions = 5
    opening.save()

    entry = audit_entry(actor=None, action="opening.edit", obj=opening)

    assert entry.details["changes"] == {"positions": {"old": 2, "new": 5}}


def test_identity_and_sensitive_values_never_reach_the_journal(world: Any) -> None:
    person = Person.objects.get(pk=factories.referral(world).person_id)
    old_name, old_email = person.last_name, person.email
    person.last_name = "Nouveau-Nom"
    person.email = "nouvelle@example.org"
    person.receives_rsa = not person.receives_rsa
    person.commune = "Aubagne"
    person.save()

    entry = audit(actor=world.user("coordinator"), action="person.rectify", obj=person)

    changes = entry.details["changes"]
    assert changes["last_name"] == MASKED
    assert changes["email"] == MASKED
    assert changes["receives_rsa"] == MASKED
    assert changes["commune"]["new"] == "Aubagne"
    stored = str(AuditEntry.objects.get(pk=entry.pk).details)
    for value in (old_name, "Nouveau-Nom", old_email, "nouvelle@example.org"):
        assert value not in stored


def test_the_journal_shows_changes_and_masks(world: Any) -> None:
    details = {
        "reason": "filled",
        "changes": {"status": {"old": "open", "new": "closed"}, "email": MASKED},
    }

    shown = {d.key: d for d in masked_details(details)}

    assert shown["status"].value == "open → closed"
    assert shown["email"].masked
    assert "email : masqué" in details_text(details)


def test_a_forged_unmasked_sensitive_change_is_still_masked_on_display() -> None:
    shown = masked_details({"changes": {"rqth": {"old": False, "new": True}}})
    assert shown[0].masked


def test_the_entry_hash_covers_the_changes(world: Any) -> None:
    from tremplin.core.audit_chain import check_chain, stored_rows

    opening = factories.opening(world)
    opening_close(opening=opening, by=world.user("coordinator"), reason="filled_elsewhere")
    entry = last_entry("opening.close")
    assert check_chain(stored_rows(AuditEntry)).ok

    tampered = dict(entry.details)
    tampered["changes"] = {"status": {"old": "open", "new": "draft"}}
    AuditEntry.objects.filter(pk=entry.pk).update(details=tampered)

    assert not check_chain(stored_rows(AuditEntry)).ok


def test_every_personal_field_of_our_models_is_masked() -> None:
    """Fields that name or locate a person, or hold free text, never show their values: a
    model added with such a field is covered without being listed."""
    leaks = []
    for model in apps.get_models():
        if not audited(model):
            continue
        for field in model._meta.concrete_fields:
            if field.primary_key:
                continue
            personal = field.name in {"first_name", "last_name", "email", "phone", "address"}
            free_text = isinstance(field, models.TextField)
            if (personal or free_text) and not is_masked(field):
                leaks.append(f"{model._meta.label}.{field.name}")
    assert leaks == []


def test_unsnapshotted_objects_yield_no_changes() -> None:
    entry = AuditEntry(action="x", object_type="x", object_id="1")
    assert changes_of(entry) == {}
