"""Merging two records of one person, and undoing it: what moves, what is refused, what is kept."""

import datetime

import pytest

from tests import factories
from tremplin.candidacies.models import Candidacy
from tremplin.core.models import AuditEntry
from tremplin.people.models import Person, PersonMerge
from tremplin.people.services import (
    PeopleError,
    default_choices,
    person_merge,
    person_merge_undo,
    person_relations,
)
from tremplin.privacy.models import ConsentRecord

pytestmark = pytest.mark.django_db

BORN = datetime.date(1980, 5, 4)


@pytest.fixture
def later(world):
    """A second upcoming cohort in Marseille, so one site holds two candidacies of a person."""
    return factories.cohort(
        world.programme,
        world.site,
        "Promo de printemps",
        world.upcoming.start_date.replace(day=1) + datetime.timedelta(days=60),
    )


@pytest.fixture
def pair(world, later):
    """Samira Haddad referred to the upcoming cohort, and « Samira Hadad » (a typo) to the next."""
    first = factories.referral(
        world, first_name="Samira", last_name="Haddad", birth_date=BORN, address=""
    )
    second = factories.referral(
        world,
        later,
        first_name="Samira",
        last_name="Hadad",
        birth_date=BORN,
        email="samira.h@example.org",
        address="12 rue de Lyon",
    )
    return first.person, second.person


def table_state():
    """Every row a merge may write, to compare before and after."""
    return (
        list(Person.objects.order_by("pk").values()),
        list(Candidacy.objects.order_by("pk").values_list("pk", "person_id")),
        PersonMerge.objects.count(),
    )


def test_merge_moves_candidacies_and_removes_the_other_record(world, pair):
    kept, removed = pair
    removed_candidacy = removed.candidacies.get()
    removed_consents = list(
        ConsentRecord.objects.filter(person=removed).values_list("pk", flat=True)
    )
    assert removed_consents
    merge = person_merge(kept=kept, removed=removed, by=world.user("coordinator"))
    assert not Person.objects.filter(pk=removed.pk).exists()
    assert set(kept.candidacies.values_list("cohort__name", flat=True)) == {
        "Promo à venir",
        "Promo de printemps",
    }
    removed_candidacy.refresh_from_db()
    assert removed_candidacy.person_id == kept.pk
    assert merge.kept_person_id == kept.pk and merge.removed_person_id == removed.pk
    assert merge.network == world.network
    consents = sorted(removed_consents)
    # The candidacy, and the proof of the consents given when the person was referred.
    assert merge.snapshot["moved"] == [
        {"model": "candidacies.candidacy", "pk": removed_candidacy.pk, "field": "person"},
        *({"model": "privacy.consentrecord", "pk": pk, "field": "person"} for pk in consents),
    ]
    assert ConsentRecord.objects.filter(pk__in=consents, person=kept).count() == len(consents)
    assert merge.snapshot["removed"]["last_name"] == "Hadad"
    assert merge.snapshot["kept_before"]["last_name"] == "Haddad"
    entry = AuditEntry.objects.get(action="person.merge")
    assert entry.object_id == str(kept.pk)
    moved = str(1 + len(consents))
    changes = entry.details.pop("changes")
    assert entry.details == {"removed": str(removed.pk), "merge": str(merge.pk), "moved": moved}
    assert changes == {"address": {"masked": True}}  # the blank filled from the other record


def test_kept_values_win_and_blanks_are_filled_from_the_other(world, pair):
    kept, removed = pair
    assert default_choices(kept, removed)["email"] == "kept"
    assert default_choices(kept, removed)["address"] == "other"
    person_merge(kept=kept, removed=removed, by=world.user("coordinator"))
    kept.refresh_from_db()
    assert kept.email != "samira.h@example.org"
    assert kept.address == "12 rue de Lyon"
    assert kept.last_name == "Haddad"


def test_chosen_values_come_from_the_other_record_and_the_identity_follows(world, pair):
    kept, removed = pair
    person_merge(
        kept=kept,
        removed=removed,
        by=world.user("network_admin"),
        choices={"last_name": "other", "email": "other"},
    )
    kept.refresh_from_db()
    assert kept.last_name == "Hadad" and kept.email == "samira.h@example.org"
    assert kept.identity_key == "hadad|samira|1980-05-04"


def test_consent_to_employers_is_never_given_back_by_a_merge(world, pair):
    kept, removed = pair
    Person.objects.filter(pk=removed.pk).update(consent_employers=False)
    person_merge(kept=kept, removed=removed, by=world.user("coordinator"))
    kept.refresh_from_db()
    assert not kept.consent_employers


def test_same_cohort_twice_is_refused_naming_the_cohort(world, pair):
    kept, removed = pair
    factories.referral(
        world, world.upcoming, first_name="Samira", last_name="Hadad", birth_date=BORN
    )
    before = table_state()
    with pytest.raises(PeopleError) as refused:
        person_merge(kept=kept, removed=removed, by=world.user("coordinator"))
    assert "candidature" in refused.value.message
    assert "Promo à venir" in refused.value.message
    assert table_state() == before
    assert not AuditEntry.objects.filter(action="person.merge").exists()


def test_two_learner_accounts_are_refused(world, pair):
    kept, removed = pair
    factories.link_account(kept, world.user("learner"))
    factories.link_account(removed, world.user("outsider_learner"))
    before = table_state()
    with pytest.raises(PeopleError, match="compte apprenant"):
        person_merge(kept=kept, removed=removed, by=world.user("coordinator"))
    assert table_state() == before


def test_the_only_account_follows_the_person_and_comes_back_on_undo(world, pair):
    kept, removed = pair
    factories.link_account(removed, world.user("learner"))
    merge = person_merge(kept=kept, removed=removed, by=world.user("coordinator"))
    assert Person.objects.get(pk=kept.pk).account == world.user("learner")
    person_merge_undo(merge=merge, by=world.user("network_admin"))
    assert Person.objects.get(pk=removed.pk).account == world.user("learner")
    assert Person.objects.get(pk=kept.pk).account is None


def test_a_person_is_not_merged_with_themself(world, pair):
    kept, _ = pair
    before = table_state()
    with pytest.raises(PeopleError, match="elle-même"):
        person_merge(kept=kept, removed=kept, by=world.user("coordinator"))
    assert table_state() == before


@pytest.mark.parametrize("role", ["prescriber", "trainer", "learner"])
def test_only_coordinators_and_admins_merge(world, pair, role):
    kept, removed = pair
    before = table_state()
    with pytest.raises(PeopleError):
        person_merge(kept=kept, removed=removed, by=world.user(role))
    assert table_state() == before


def test_unknown_choices_are_refused(world, pair):
    kept, removed = pair
    before = table_state()
    with pytest.raises(PeopleError, match="invalide"):
        person_merge(
            kept=kept, removed=removed, by=world.user("coordinator"), choices={"id": "other"}
        )
    with pytest.raises(PeopleError, match="invalide"):
        person_merge(
            kept=kept, removed=removed, by=world.user("coordinator"), choices={"email": "both"}
        )
    assert table_state() == before


def test_a_third_record_with_the_resulting_identity_is_refused(world, pair, later):
    kept, removed = pair
    # Choosing the other's birth date would give the kept record this third person's identity.
    Person.objects.filter(pk=removed.pk).update(birth_date=datetime.date(1981, 1, 1))
    factories.referral(
        world, first_name="Samira", last_name="Haddad", birth_date=datetime.date(1981, 1, 1)
    )
    before = table_state()
    with pytest.raises(PeopleError, match="troisième fiche"):
        person_merge(
            kept=kept,
            removed=removed,
            by=world.user("coordinator"),
            choices={"birth_date": "other"},
        )
    assert table_state() == before


def test_undo_restores_both_records_and_the_rows_exactly(world, pair):
    kept, removed = pair
    before = table_state()
    merge = person_merge(
        kept=kept, removed=removed, by=world.user("coordinator"), choices={"email": "other"}
    )
    result = person_merge_undo(merge=merge, by=world.user("network_admin"))
    people, candidacies, _ = table_state()
    assert (people, candidacies) == before[:2]
    moved = 1 + ConsentRecord.objects.filter(person=removed).count()  # candidacy and consents
    assert result.restored.pk == removed.pk and result.moved_back == moved
    assert result.left_as_is == []
    merge.refresh_from_db()
    assert merge.undone_by == world.user("network_admin") and merge.undone_at is not None
    assert AuditEntry.objects.filter(action="person.merge_undo", object_id=str(merge.pk)).exists()


def test_undo_twice_is_refused(world, pair):
    kept, removed = pair
    merge = person_merge(kept=kept, removed=removed, by=world.user("coordinator"))
    person_merge_undo(merge=merge, by=world.user("network_admin"))
    before = table_state()
    with pytest.raises(PeopleError, match="déjà été annulée"):
        person_merge_undo(merge=merge, by=world.user("network_admin"))
    assert table_state() == before


def test_undo_is_refused_when_a_moved_row_changed_person(world, pair):
    kept, removed = pair
    moved = removed.candidacies.get()
    merge = person_merge(kept=kept, removed=removed, by=world.user("coordinator"))
    third = factories.referral(world, first_name="Awa", last_name="Diallo").person
    Candidacy.objects.filter(pk=moved.pk).update(person=third)
    before = table_state()
    with pytest.raises(PeopleError) as refused:
        person_merge_undo(merge=merge, by=world.user("network_admin"))
    assert f"candidature n° {moved.pk} est rattachée à une autre personne" in refused.value.message
    assert table_state() == before


def test_undo_keeps_what_changed_since_the_merge(world, pair, later):
    kept, removed = pair
    merge = person_merge(
        kept=kept, removed=removed, by=world.user("coordinator"), choices={"email": "other"}
    )
    Person.objects.filter(pk=kept.pk).update(email="nouvelle@example.org")
    result = person_merge_undo(merge=merge, by=world.user("network_admin"))
    assert result.left_as_is == ["email"]
    assert Person.objects.get(pk=kept.pk).email == "nouvelle@example.org"
    # The address the merge filled in is taken back: nobody changed it since.
    assert Person.objects.get(pk=kept.pk).address == ""


def test_chained_merges_are_undone_last_first(world, pair, later):
    kept, removed = pair
    first = person_merge(kept=kept, removed=removed, by=world.user("coordinator"))
    other = factories.referral(
        world, world.other_cohort, first_name="Samira", last_name="Haddad-Benali", birth_date=BORN
    )
    second = person_merge(kept=other.person, removed=kept, by=world.user("coordinator"))
    with pytest.raises(PeopleError, match="fusion suivante"):
        person_merge_undo(merge=first, by=world.user("network_admin"))
    person_merge_undo(merge=second, by=world.user("network_admin"))
    person_merge_undo(merge=first, by=world.user("network_admin"))
    assert Person.objects.filter(pk__in=[kept.pk, removed.pk, other.person_id]).count() == 3
    assert removed.candidacies.get().cohort == later


def test_every_foreign_key_to_person_is_walked():
    from django.apps import apps

    pointing = {
        (field.model, field.name)
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is Person
    }
    assert {(fk.model, fk.name) for fk in person_relations()} == pointing
    assert (Candidacy, "person") in pointing
