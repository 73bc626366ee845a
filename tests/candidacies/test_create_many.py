"""Bulk referral (``candidacy_create_many``): the rules of one referral, for many at once.

The mixed batch is referred twice from the same starting point, one by one through
``candidacy_create`` and all at once, and both must leave the same people, candidacies, audit
entries and location tasks behind, and give the same outcomes.
"""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.tasks import task_backends
from django.test.utils import CaptureQueriesContext

from tests import factories
from tremplin.accounts.models import User
from tremplin.candidacies import services
from tremplin.candidacies.models import Candidacy
from tremplin.candidacies.services import (
    CandidacyError,
    DuplicateCandidacy,
    candidacy_create,
    candidacy_create_many,
)
from tremplin.core.models import AuditEntry
from tremplin.people.models import Person

pytestmark = pytest.mark.django_db

BORN = datetime.date(1990, 6, 1)
INES_REFRESHED = "address,email,receives_rsa,consent_employers,consent_at"


class Queue:
    """The real task framework, with a backend that keeps the tasks instead of running them."""

    def __init__(self) -> None:
        self.backend = task_backends["default"]

    @property
    def queued(self) -> list[int]:
        """Whom location tasks were queued for, in order."""
        return [
            pk
            for result in self.backend.results
            if result.task.name == "locate_people"
            for pk in result.args[0]
        ]

    def clear(self) -> None:
        self.backend.clear()


@pytest.fixture
def located(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    return Queue()


def chain_queries() -> int:
    """Chaining audit entries: the last hash, after the advisory lock on PostgreSQL."""
    return 2 if connection.vendor == "postgresql" else 1


def rollup_queries() -> int:
    """Before rewriting facts, whether the dashboards' rollup is built (reports.rollup.retract),
    after its shared advisory lock on PostgreSQL; none is built here."""
    return 2 if connection.vendor == "postgresql" else 1


def data(first: str, last: str, **overrides):
    return factories.person_data(first_name=first, last_name=last, birth_date=BORN, **overrides)


@pytest.fixture
def known(world):
    """People referred before the batch: three to another cohort, one to the batch's cohort."""
    prescriber = world.user("prescriber")

    def refer(cohort, person):
        return candidacy_create(cohort=cohort, person_data=person, motivation="", by=prescriber)

    return {
        "ines": refer(world.other_cohort, data("Inès", "Benali", email="ines@example.org")),
        "karim": refer(world.upcoming, data("Karim", "Ouali", email="karim@example.org")),
        "awa": refer(world.other_cohort, data("Awa", "Diallo", consent_employers=True)),
        "lea": refer(world.other_cohort, data("Léa", "Petit", consent_employers=False)),
    }


def mixed_batch(known):
    """Every case a file may hold, in one batch."""
    awa, lea = known["awa"].person, known["lea"].person
    same_as = {name: getattr(awa, name) for name in services.REFRESHABLE_FACTS}
    lea_facts = {name: getattr(lea, name) for name in services.REFRESHABLE_FACTS}
    return [
        # someone new
        (data("Nora", "Nouvelle", address="3 rue Neuve", email="nora@example.org"), "Fibre"),
        # known from another cohort: new situation and address, refreshed and located again
        (
            data(
                "INÈS",
                "benali ",
                email="ines.nouvelle@example.org",
                receives_rsa=False,
                address="8 avenue de la Gare",
                consent_employers=False,
            ),
            "Reconversion",
        ),
        # already referred to this cohort: refused, and nothing about him changes
        (data("Karim", "Ouali", email="karim.autre@example.org"), ""),
        # withdraws consent to employers, nothing else
        (data("Awa", "Diallo", **(same_as | {"consent_employers": False})), ""),
        # would give consent back, which a referral never does
        (data("Léa", "Petit", **(lea_facts | {"consent_employers": True})), ""),
        # someone new, twice in the file: one candidacy, then a duplicate of it
        (data("Noé", "Nouveau", email="noe@example.org"), "Premier"),
        (data("NOÉ", "nouveau", email="noe.autre@example.org"), "Second"),
        # known, twice in the file: the second row changes nothing
        (data("Inès", "Benali", email="ines.troisieme@example.org"), ""),
    ]


def without_ids(details, key):
    """An entry's details with the person a candidacy was created for named by identity key:
    the journal records the new row's foreign keys, and ids differ between runs."""
    changes = details.get("changes", {})
    if "person" not in changes:
        return details
    person = changes["person"] | {"new": key[changes["person"]["new"]]}
    return details | {"changes": changes | {"person": person}}


def state(outcomes, located):
    """What a referral leaves behind, without ids (each run numbers rows its own way)."""
    key = dict(Person.objects.values_list("pk", "identity_key"))
    candidacy_key = {c.pk: (key[c.person_id], c.cohort_id) for c in Candidacy.objects.all()}
    people = sorted(
        (p["identity_key"], sorted((k, str(v)) for k, v in p.items() if k not in {"id"}))
        for p in Person.objects.values()
    )
    candidacies = sorted(
        (
            key[c["person_id"]],
            sorted((k, str(v)) for k, v in c.items() if k not in {"id", "person_id"}),
        )
        for c in Candidacy.objects.values()
    )
    entries = sorted(
        (
            e.action,
            key[int(e.object_id)] if e.object_type == "person" else candidacy_key[int(e.object_id)],
            e.actor_id,
            sorted(without_ids(e.details, key).items()),
        )
        for e in AuditEntry.objects.all()
    )
    results = [
        ("duplicate", candidacy_key[o.existing.pk])
        if isinstance(o, DuplicateCandidacy)
        else ("created", candidacy_key[o.pk], o.motivation)
        for o in outcomes
    ]
    return {
        "people": people,
        "candidacies": candidacies,
        "audit": entries,
        "outcomes": results,
        "located": [key[pk] for pk in located.queued],
    }


def referred(run, located, capture):
    """The state ``run`` leaves, then undone, so that the next run starts from the same place."""
    with transaction.atomic():
        located.clear()
        with capture(execute=True):
            outcomes = run()
        after = state(outcomes, located)
        transaction.set_rollback(True)
    return after


@pytest.mark.parametrize("referrer", ["prescriber", None])
def test_a_mixed_batch_ends_as_if_referred_one_by_one(
    world, known, located, django_capture_on_commit_callbacks, referrer
):
    by = world.user(referrer) if referrer else None
    batch = mixed_batch(known)

    def one_by_one():
        outcomes = []
        for person, motivation in batch:
            try:
                outcomes.append(
                    candidacy_create(
                        cohort=world.upcoming, person_data=person, motivation=motivation, by=by
                    )
                )
            except DuplicateCandidacy as duplicate:
                outcomes.append(duplicate)
        return outcomes

    def at_once():
        return candidacy_create_many(cohort=world.upcoming, people=batch, by=by)

    expected = referred(one_by_one, located, django_capture_on_commit_callbacks)
    assert referred(at_once, located, django_capture_on_commit_callbacks) == expected

    # And what both did, spelt out.
    kinds = [outcome[0] for outcome in expected["outcomes"]]
    assert kinds == ["created", "created", "duplicate", "created", "created"] + [
        "created",
        "duplicate",
        "duplicate",
    ]
    noe = expected["outcomes"][5][1]
    assert expected["outcomes"][6] == ("duplicate", noe)
    assert expected["outcomes"][7] == ("duplicate", expected["outcomes"][1][1])
    karim = (known["karim"].person.identity_key, world.upcoming.pk)
    assert expected["outcomes"][2] == ("duplicate", karim)
    refreshes = [entry for entry in expected["audit"] if entry[0] == "person.refresh"]
    new_people = ["nouvelle|nora|1990-06-01", "nouveau|noe|1990-06-01"]
    if referrer is None:
        assert refreshes == []  # an anonymous application changes nothing about anyone
        assert expected["located"] == new_people
    else:
        masked = {"masked": True}
        withdrawn = {"consent_employers": {"old": True, "new": False}}
        assert [(entry[1], entry[3]) for entry in refreshes] == [
            (
                "benali|ines|1990-06-01",
                [
                    (
                        "changes",
                        {"email": masked, "address": masked, "receives_rsa": masked} | withdrawn,
                    ),
                    ("fields", INES_REFRESHED),
                ],
            ),
            (
                "diallo|awa|1990-06-01",
                [("changes", withdrawn), ("fields", "consent_employers,consent_at")],
            ),
        ]
        assert expected["located"] == [new_people[0], "benali|ines|1990-06-01", new_people[1]]


def test_the_batch_writes_what_it_says(world, known, located, django_capture_on_commit_callbacks):
    prescriber = world.user("prescriber")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        outcomes = candidacy_create_many(
            cohort=world.upcoming, people=mixed_batch(known), by=prescriber
        )
    assert len(callbacks) == 1  # one callback queues every location task
    nora, ines, karim, awa, lea, noe, noe_again, ines_again = outcomes
    # The ids given back are the rows written (bulk inserts return them on both databases).
    for candidacy in (nora, ines, awa, lea, noe):
        assert isinstance(candidacy, Candidacy)
        stored = Candidacy.objects.get(pk=candidacy.pk)
        assert stored.person_id == candidacy.person.pk == candidacy.person_id
        assert stored.referred_by == prescriber
        assert stored.prescriber_organisation == world.france_travail
    assert isinstance(karim, DuplicateCandidacy) and karim.existing == known["karim"]
    assert isinstance(noe_again, DuplicateCandidacy) and noe_again.existing == noe
    assert isinstance(ines_again, DuplicateCandidacy) and ines_again.existing == ines
    assert noe.motivation == "Premier" and nora.person.first_name == "Nora"
    assert ines.person == known["ines"].person
    person = Person.objects.get(pk=ines.person.pk)
    assert person.email == "ines.nouvelle@example.org" and not person.receives_rsa
    assert Person.objects.get(pk=known["karim"].person_id).email == "karim@example.org"
    assert not Person.objects.get(pk=known["awa"].person_id).consent_employers
    assert not Person.objects.get(pk=known["lea"].person_id).consent_employers
    assert located.queued == [nora.person.pk, ines.person.pk, noe.person.pk]
    assert (
        AuditEntry.objects.filter(
            action="candidacy.create",
            object_id__in=[str(c.pk) for c in (nora, ines, awa, lea, noe)],
        ).count()
        == 5
    )


def batch_of(world, rows: int):
    """``rows`` rows: a fifth known from another cohort (refreshed and moved), a tenth already
    referred, a tenth a second row of someone new, the rest new people."""
    prescriber = world.user("prescriber")
    people = []
    for n in range(rows):
        person = data(f"Prénom{n}", f"Nom{n}", email=f"p{n}@example.org")
        if n % 5 == 1:
            candidacy_create(
                cohort=world.other_cohort, person_data=person, motivation="", by=prescriber
            )
            person = data(f"Prénom{n}", f"Nom{n}", email=f"p{n}.new@example.org", address="1 rue")
        elif n % 10 == 2:
            candidacy_create(
                cohort=world.upcoming, person_data=person, motivation="", by=prescriber
            )
        elif n % 10 == 4:
            person = data(f"Prénom{n - 1}", f"Nom{n - 1}")
        people.append((person, ""))
    return people


@pytest.mark.parametrize("rows", [10, 100])
def test_the_queries_do_not_grow_with_the_batch(
    world, located, django_assert_max_num_queries, rows
):
    batch = batch_of(world, rows)
    prescriber = world.user("prescriber")
    # savepoint, people by key, their candidacies in the cohort, new people, refreshed people,
    # candidacies, audit entries, release; and 7 for the indicators' facts (reports.facts);
    # the audit chain's last hash read once for the whole bulk_create (core/audit_chain.py),
    # after the advisory lock on PostgreSQL; the rollup's state; the consent records (privacy).
    with django_assert_max_num_queries(8 + 7 + chain_queries() + rollup_queries() + 1):
        outcomes = candidacy_create_many(cohort=world.upcoming, people=batch, by=prescriber)
    duplicates = sum(isinstance(outcome, DuplicateCandidacy) for outcome in outcomes)
    assert duplicates == 2 * rows // 10
    assert Candidacy.objects.filter(cohort=world.upcoming).count() == rows - rows // 10


def test_a_large_batch_is_looked_up_and_written_in_slices(world, located):
    rows = 1_201
    batch = [(data(f"P{n}", f"N{n}"), "") for n in range(rows)]
    with CaptureQueriesContext(transaction.get_connection()) as queries:
        outcomes = candidacy_create_many(
            cohort=world.upcoming, people=batch, by=world.user("prescriber")
        )
    assert len({outcome.pk for outcome in outcomes}) == rows
    stored = dict(Candidacy.objects.values_list("pk", "person__identity_key"))
    assert [stored[outcome.pk] for outcome in outcomes] == [
        f"n{n}|p{n}|1990-06-01" for n in range(rows)
    ]
    # 3 slices of people looked up and of rows of each table written (audit in 3 too),
    # savepoint and release; no candidacy lookup since nobody is known. The indicators' facts
    # (reports.facts): people, their candidacies and rows, lock, delete, read, 2 slices written.
    # The audit chain: its last hash read once (and the advisory lock on PostgreSQL); the
    # rollup's state. The consent records (privacy), in 3 slices too.
    assert len(queries) == 3 + 3 + 3 + 3 + 2 + 8 + chain_queries() + rollup_queries() + 3
    assert AuditEntry.objects.filter(action="candidacy.create").count() == rows


def test_one_row_without_consent_refuses_the_batch(world, located):
    batch = [(data("Nora", "Nouvelle"), ""), (data("Noé", "Nouveau", consent_programme=False), "")]
    with pytest.raises(CandidacyError, match="consentement"):
        candidacy_create_many(cohort=world.upcoming, people=batch, by=world.user("prescriber"))
    assert not Person.objects.exists() and not AuditEntry.objects.exists()


def test_a_started_cohort_refuses_the_batch(world, located):
    with pytest.raises(CandidacyError, match="déjà commencé"):
        candidacy_create_many(
            cohort=world.running, people=[(data("Nora", "Nouvelle"), "")], by=None
        )
    assert not Person.objects.exists()


def test_a_prescriber_without_organisation_refers_nobody(world, located):
    lost = User.objects.create_user("perdu@example.org", "x", role="prescriber")
    with pytest.raises(CandidacyError, match="aucun prescripteur"):
        candidacy_create_many(cohort=world.upcoming, people=[(data("Nora", "N"), "")], by=lost)
    with pytest.raises(CandidacyError, match="aucun prescripteur"):
        candidacy_create(
            cohort=world.upcoming, person_data=data("Nora", "N"), motivation="", by=lost
        )
    assert not Person.objects.exists()


def test_an_empty_batch_writes_nothing(world, located):
    assert candidacy_create_many(cohort=world.upcoming, people=[], by=None) == []
    assert not AuditEntry.objects.exists()


@pytest.fixture
def race(monkeypatch):
    """Once armed, the next lookup of candidacies in the cohort misses the existing ones, as
    when another transaction refers the same person between that lookup and the insert (the
    real thing, on PostgreSQL: test_concurrent_referrals.py)."""
    lookup = services._candidacies_in
    calls = {"armed": False, "count": 0}

    def stale_once(cohort, person_ids):
        calls["count"] += 1
        if calls["armed"]:
            calls["armed"] = False
            return {}
        return lookup(cohort, person_ids)

    monkeypatch.setattr(services, "_candidacies_in", stale_once)
    return calls


def test_a_referral_racing_another_falls_back_on_the_duplicate(world, located, race):
    first = factories.referral(world, first_name="Ali", last_name="Ben", birth_date=BORN)
    race.update(armed=True, count=0)
    with pytest.raises(DuplicateCandidacy) as raised:
        factories.referral(world, first_name="ALI", last_name="ben", birth_date=BORN)
    assert raised.value.existing == first
    assert race["count"] == 2  # the lookup that missed it, then the second try's
    assert Candidacy.objects.count() == 1
    assert AuditEntry.objects.filter(action="candidacy.create").count() == 1


def test_a_batch_racing_another_referral_skips_just_that_person(world, located, race):
    first = factories.referral(world, first_name="Ali", last_name="Ben", birth_date=BORN)
    race.update(armed=True)
    outcomes = candidacy_create_many(
        cohort=world.upcoming,
        people=[(data("Nora", "Nouvelle"), ""), (data("Ali", "Ben"), ""), (data("Noé", "N"), "")],
        by=world.user("prescriber"),
    )
    assert isinstance(outcomes[1], DuplicateCandidacy) and outcomes[1].existing == first
    assert Candidacy.objects.count() == 3
    assert AuditEntry.objects.filter(action="candidacy.create").count() == 3


def test_another_violation_is_not_taken_for_a_race(world, located, monkeypatch):
    def broken(**kwargs):
        raise IntegrityError("something else")

    monkeypatch.setattr(services, "_write", broken)
    with pytest.raises(IntegrityError):
        candidacy_create_many(
            cohort=world.upcoming, people=[(data("Nora", "N"), "")], by=world.user("prescriber")
        )
