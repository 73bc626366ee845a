"""A merge moves rows of any model that points at Person, including models added later.

The models here exist only for these tests: they are declared, their tables created, and both
removed again around each test, so they stand for what other contexts add (diagnostics,
proofs, import rows) with each kind of relation: a hidden foreign key with a uniqueness rule,
a one-to-one, and a many-to-many.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection, models

from tests import factories
from tremplin.people.models import Person
from tremplin.people.services import PeopleError, person_merge, person_merge_undo

BORN = datetime.date(1990, 2, 3)


@pytest.fixture
def probes(transactional_db):
    class MergeProbeNote(models.Model):
        person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
        label = models.CharField(max_length=20)

        class Meta:
            app_label = "people"
            verbose_name = "note de test"
            unique_together = [("person", "label")]

        def __str__(self) -> str:
            return self.label

    class MergeProbeCard(models.Model):
        person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="probe_card")

        class Meta:
            app_label = "people"
            verbose_name = "carte de test"

        def __str__(self) -> str:
            return f"carte {self.pk}"

    class MergeProbeGroup(models.Model):
        name = models.CharField(max_length=20)
        members = models.ManyToManyField(Person, related_name="probe_groups")

        class Meta:
            app_label = "people"
            verbose_name = "groupe de test"

        def __str__(self) -> str:
            return self.name

    declared = [MergeProbeNote, MergeProbeCard, MergeProbeGroup]
    with connection.schema_editor() as editor:
        for model in declared:
            editor.create_model(model)
    apps.clear_cache()
    yield SimpleNamespace(note=MergeProbeNote, card=MergeProbeCard, group=MergeProbeGroup)
    with connection.schema_editor() as editor:
        for model in reversed(declared):
            editor.delete_model(model)
    for model in [*declared, MergeProbeGroup.members.through]:
        del apps.all_models["people"][model._meta.model_name]
    apps.clear_cache()


@pytest.fixture
def pair(world):
    later = factories.cohort(
        world.programme,
        world.site,
        "Promo de printemps",
        world.upcoming.start_date + datetime.timedelta(days=60),
    )
    kept = factories.referral(world, first_name="Awa", last_name="Diallo", birth_date=BORN)
    removed = factories.referral(world, later, first_name="Awa", last_name="Dialo", birth_date=BORN)
    return kept.person, removed.person


def test_rows_of_every_relation_move_and_come_back(world, probes, pair):
    kept, removed = pair
    kept_note = probes.note.objects.create(person=kept, label="entretien")
    note = probes.note.objects.create(person=removed, label="positionnement")
    probes.card.objects.create(person=removed)
    group = probes.group.objects.create(name="atelier CV")
    group.members.add(removed)

    merge = person_merge(kept=kept, removed=removed, by=world.user("coordinator"))

    assert set(probes.note.objects.values_list("person_id", flat=True)) == {kept.pk}
    assert probes.card.objects.get().person_id == kept.pk
    assert list(group.members.all()) == [kept]
    moved = {(row["model"], row["field"]) for row in merge.snapshot["moved"]}
    assert moved == {
        ("candidacies.candidacy", "person"),
        # The proof of the consents given at the referral follows the person.
        ("privacy.consentrecord", "person"),
        ("people.mergeprobenote", "person"),
        ("people.mergeprobecard", "person"),
        ("people.mergeprobegroup_members", "person"),
    }

    person_merge_undo(merge=merge, by=world.user("network_admin"))

    note.refresh_from_db()
    kept_note.refresh_from_db()
    assert (note.person_id, kept_note.person_id) == (removed.pk, kept.pk)
    assert probes.card.objects.get().person_id == removed.pk
    assert list(group.members.all()) == [removed]


def test_a_one_to_one_held_by_both_is_refused(world, probes, pair):
    kept, removed = pair
    probes.card.objects.create(person=kept)
    probes.card.objects.create(person=removed)
    with pytest.raises(PeopleError) as refused:
        person_merge(kept=kept, removed=removed, by=world.user("coordinator"))
    assert "« carte de test »" in refused.value.message
    assert Person.objects.filter(pk=removed.pk).exists()
    assert sorted(probes.card.objects.values_list("person_id", flat=True)) == sorted(
        [kept.pk, removed.pk]
    )


def test_a_uniqueness_rule_of_another_model_is_refused_naming_the_value(world, probes, pair):
    kept, removed = pair
    probes.note.objects.create(person=kept, label="entretien")
    probes.note.objects.create(person=removed, label="entretien")
    with pytest.raises(PeopleError) as refused:
        person_merge(kept=kept, removed=removed, by=world.user("coordinator"))
    assert "« note de test »" in refused.value.message
    assert "« entretien »" in refused.value.message
    assert Person.objects.filter(pk=removed.pk).exists()
    assert probes.note.objects.filter(person=removed).count() == 1


def test_both_in_the_same_group_is_refused(world, probes, pair):
    kept, removed = pair
    group = probes.group.objects.create(name="atelier CV")
    group.members.add(kept, removed)
    with pytest.raises(PeopleError, match="Fusion impossible"):
        person_merge(kept=kept, removed=removed, by=world.user("coordinator"))
    assert set(group.members.all()) == {kept, removed}
