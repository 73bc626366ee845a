"""The count-based entry points (what a GROUP BY gives) agree with the per-fact functions, on
random facts; the per-fact functions are thin wrappers over them."""

import datetime
import random
from collections import Counter
from decimal import Decimal

import pytest

from tremplin.engine import indicators as engine
from tremplin.engine.indicators import vocabulary

D = datetime.date
AS_OF = D(2026, 11, 30)
SEEDS = range(8)


def _people(rng: random.Random, n: int = 60) -> list[engine.FollowUps]:
    people = []
    for _ in range(n):
        exited = D(2025, 1, 31) + datetime.timedelta(days=rng.randint(0, 700))
        answered = [m for m in vocabulary.MILESTONES if rng.random() < 0.7]
        situations = {m: rng.choice(vocabulary.SITUATIONS) for m in answered}
        people.append(engine.FollowUps(exited_on=exited, situations=situations))
    return people


@pytest.mark.parametrize("seed", SEEDS)
def test_pathway_from_counts(seed):
    rng = random.Random(seed)
    candidacies = [engine.Candidacy(rng.choice(vocabulary.CANDIDACY_STATUSES)) for _ in range(50)]
    assert engine.referrals_from_counts(Counter(c.status for c in candidacies)) == engine.referrals(
        candidacies
    )
    enrolments = []
    for _ in range(50):
        status = rng.choice(vocabulary.ENROLMENT_STATUSES)
        reason = rng.choice(["", "health", "found_job"]) if status == "dropped_out" else ""
        enrolments.append(engine.Enrolment(status, reason))
    by_key = Counter((e.status, e.reason) for e in enrolments)
    assert engine.completion_from_counts(by_key) == engine.completion(enrolments)


def test_counts_keep_the_facts_checks():
    with pytest.raises(ValueError):
        engine.referrals_from_counts({"lost": 1})
    with pytest.raises(ValueError):
        engine.completion_from_counts({("completed", "health"): 1})
    with pytest.raises(ValueError):
        engine.employment_from_counts("m6", {(True, "rich"): 1})
    with pytest.raises(ValueError):
        engine.kaplan_meier_weighted([(3, True, -1)])


@pytest.mark.parametrize("seed", SEEDS)
def test_milestones_from_counts(seed):
    people = _people(random.Random(seed))
    for milestone in vocabulary.MILESTONES:
        # Counted apart from the engine: due on AS_OF, situation or « unknown ».
        counts = Counter(
            (
                engine.add_months(p.exited_on, vocabulary.MILESTONE_MONTHS[milestone]) <= AS_OF,
                p.situations.get(milestone, "unknown"),
            )
            for p in people
        )
        assert counts == engine.milestone_counts(people, milestone, as_of=AS_OF)
        assert engine.employment_from_counts(milestone, counts) == engine.employment(
            people, milestone, as_of=AS_OF
        )
        assert engine.positive_outcomes_from_counts(counts, milestone) == (
            engine.positive_outcomes(people, milestone, as_of=AS_OF)
        )
    employed_at_6 = [
        p
        for p in people
        if p.is_due("m6", AS_OF) and p.situation("m6") in vocabulary.EMPLOYED_SITUATIONS
    ]
    counts_12 = engine.milestone_counts(employed_at_6, "m12", as_of=AS_OF)
    assert engine.retention_from_counts(counts_12) == engine.retention(people, as_of=AS_OF)


def _group(situation: str) -> tuple[bool, bool, bool, bool]:
    return (
        situation in vocabulary.EMPLOYED_SITUATIONS,
        situation in vocabulary.POSITIVE_OUTCOME_SITUATIONS,
        situation in vocabulary.UNDETERMINED_OUTCOME_SITUATIONS,
        situation == vocabulary.UNKNOWN_SITUATION,
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_situations_read_alike_give_the_same_figures(seed):
    # The selectors count people per group of situations the indicators read alike (in work,
    # « sortie dynamique », undetermined, unknown) and name each group by one of them.
    people = _people(random.Random(seed))
    representative = {
        s: min(t for t in vocabulary.SITUATIONS if _group(t) == _group(s))
        for s in vocabulary.SITUATIONS
    }
    for milestone in vocabulary.MILESTONES:
        counts = engine.milestone_counts(people, milestone, as_of=AS_OF)
        grouped: Counter[tuple[bool, str]] = Counter()
        for (due, situation), n in counts.items():
            grouped[(due, representative[situation])] += n
        assert engine.employment_from_counts(milestone, grouped) == (
            engine.employment_from_counts(milestone, counts)
        )
        assert engine.positive_outcomes_from_counts(grouped, milestone) == (
            engine.positive_outcomes_from_counts(counts, milestone)
        )


@pytest.mark.parametrize("seed", SEEDS)
def test_kaplan_meier_weighted_is_the_same_curve(seed):
    rng = random.Random(seed)
    observations = [(rng.randint(0, 400), rng.random() < 0.5) for _ in range(80)]
    weighted = Counter(observations)
    curve = engine.kaplan_meier_weighted((t, e, n) for (t, e), n in weighted.items())
    assert curve == engine.kaplan_meier(observations)
    assert engine.kaplan_meier_weighted([(5, True, 0)]) == engine.kaplan_meier([])


@pytest.mark.parametrize("seed", SEEDS)
def test_public_served_from_counts_and_totals(seed):
    rng = random.Random(seed)
    entrants = [
        engine.Entrant(
            entered_on=D(2025, 9, 1),
            birth_date=rng.choice([D(2000, 2, 29), D(1999, 9, 2), D(1980, 1, 1), D(1960, 5, 5)]),
            in_qpv=rng.random() < 0.3,
            receives_rsa=rng.random() < 0.5,
            woman=rng.choice([None, True, False]),
            diploma=rng.choice(["", *vocabulary.DIPLOMAS]),
        )
        for _ in range(40)
    ]
    served = engine.public_served(entrants)
    assert engine.public_served_from_counts(Counter(e.profile for e in entrants)) == served
    assert (
        engine.public_served_from_totals(
            entrants=len(entrants),
            in_qpv=sum(e.in_qpv for e in entrants),
            receives_rsa=sum(e.receives_rsa for e in entrants),
            women=sum(e.woman is True for e in entrants),
            sex_known=sum(e.woman is not None for e in entrants),
            age_bands=Counter(e.profile.age_band for e in entrants),
            diplomas=Counter(e.diploma for e in entrants if e.diploma),
        )
        == served
    )


def test_public_totals_must_add_up():
    with pytest.raises(ValueError):
        engine.public_served_from_totals(
            entrants=3,
            in_qpv=0,
            receives_rsa=0,
            women=0,
            sex_known=0,
            age_bands={"under_26": 2},
            diplomas={},
        )


@pytest.mark.parametrize("seed", SEEDS)
def test_satisfaction_and_costs_from_counts(seed):
    rng = random.Random(seed)
    scores = [rng.randint(1, 5) for _ in range(rng.randint(0, 30))]
    invited = len(scores) + rng.randint(0, 5)
    assert engine.satisfaction_from_counts(Counter(scores), invited=invited) == (
        engine.satisfaction(scores, invited=invited)
    )
    cohorts = []
    for _ in range(rng.randint(0, 6)):
        learners = rng.randint(0, 12)
        budget = None if rng.random() < 0.2 else Decimal(rng.randint(0, 10**7)) / 100
        cohorts.append(engine.CohortBudget(budget, learners, rng.randint(0, learners)))
    assert engine.costs_from_totals(
        budget=sum((c.budget for c in cohorts if c.budget is not None), Decimal(0)),
        learners=sum(c.learners for c in cohorts),
        positive_outcomes=sum(c.positive_outcomes for c in cohorts),
        without_budget=sum(c.budget is None for c in cohorts),
    ) == engine.costs(cohorts)
