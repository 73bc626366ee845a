"""The eligibility engine: what a profile shows, and whether a diagnostic meets a rule."""

import datetime

import pytest

from tremplin.engine.eligibility import (
    Derivation,
    Fact,
    Profile,
    Rule,
    Situation,
    Ticked,
    age_on,
    derive,
    evaluate,
    months_between,
)

D = datetime.date
DERIVATIONS = (
    Derivation("rsa", Fact.RSA),
    Derivation("detld", Fact.UNEMPLOYED_MONTHS, minimum=24),
    Derivation("deld", Fact.UNEMPLOYED_MONTHS, minimum=12),
    Derivation("qpv", Fact.QPV, stands_as_proof=True),
    Derivation("under_26", Fact.AGE, maximum=25, stands_as_proof=True),
    Derivation("over_50", Fact.AGE, minimum=50, stands_as_proof=True),
    Derivation("low_qualification", Fact.DIPLOMA, values=("none", "cap_bep")),
    Derivation("mobility", Fact.MOBILITY, values=("limited",)),
)


def profile(**overrides: object) -> Profile:
    values: dict[str, object] = {
        "birth_date": D(1985, 3, 1),
        "job_seeker_since": None,
        "receives_rsa": False,
        "qpv_code": "",
        "qpv_name": "",
        "qpv_declared": False,
        "highest_diploma": "bac",
        "mobility": "car",
    }
    values.update(overrides)
    return Profile(**values)  # type: ignore[arg-type]


def test_age_and_months_count_whole_units() -> None:
    assert age_on(D(2000, 12, 1), D(2026, 11, 30)) == 25
    assert age_on(D(2000, 11, 30), D(2026, 11, 30)) == 26
    assert months_between(D(2024, 11, 30), D(2026, 11, 30)) == 24
    assert months_between(D(2024, 12, 1), D(2026, 11, 30)) == 23
    assert months_between(D(2027, 1, 1), D(2026, 11, 30)) == 0


def test_nothing_is_derived_from_a_plain_profile() -> None:
    assert derive(DERIVATIONS, profile(), D(2026, 11, 30)) == {}


def test_age_bounds_are_inclusive_and_stand_as_proof() -> None:
    on = D(2026, 11, 30)
    young = derive(DERIVATIONS, profile(birth_date=D(2000, 12, 1)), on)
    assert set(young) == {"under_26"}
    assert young["under_26"].value == "25" and young["under_26"].stands_as_proof
    assert derive(DERIVATIONS, profile(birth_date=D(2000, 11, 30)), on) == {}
    senior = derive(DERIVATIONS, profile(birth_date=D(1976, 11, 30)), on)
    assert set(senior) == {"over_50"} and not senior["over_50"].declarative


def test_unemployment_duration_gives_both_levels_and_needs_a_proof() -> None:
    found = derive(DERIVATIONS, profile(job_seeker_since=D(2024, 1, 15)), D(2026, 11, 30))
    assert set(found) == {"detld", "deld"}
    assert found["detld"].value == "34"
    assert found["detld"].declarative and not found["detld"].stands_as_proof
    only_long = derive(DERIVATIONS, profile(job_seeker_since=D(2025, 6, 1)), D(2026, 11, 30))
    assert set(only_long) == {"deld"}


def test_detected_qpv_stands_as_proof_a_declared_one_does_not() -> None:
    on = D(2026, 11, 30)
    detected = derive(DERIVATIONS, profile(qpv_code="QN01304M", qpv_name="Frais Vallon"), on)
    assert detected["qpv"].value == "Frais Vallon"
    assert detected["qpv"].stands_as_proof and not detected["qpv"].declarative
    declared = derive(DERIVATIONS, profile(qpv_declared=True), on)
    assert declared["qpv"].declarative and not declared["qpv"].stands_as_proof
    assert declared["qpv"].value == ""


def test_rsa_diploma_and_mobility_are_declarative() -> None:
    found = derive(
        DERIVATIONS,
        profile(receives_rsa=True, highest_diploma="cap_bep", mobility="limited"),
        D(2026, 11, 30),
    )
    assert set(found) == {"rsa", "low_qualification", "mobility"}
    assert all(d.declarative and not d.stands_as_proof for d in found.values())


RULE = Rule(level1_needed=1, level2_needed=2, france_travail_required=True, min_age=18, max_age=64)
ON = D(2026, 11, 30)


def ticked(code: str, level: int, *until: D | None, required: bool = True) -> Ticked:
    return Ticked(code, code.upper(), level, required, tuple(until))


def situation(*items: Ticked, age: int = 40, registered: bool = True) -> Situation:
    return Situation(items, age, registered, valid_until=D(2027, 5, 30))


def test_one_level_1_criterion_is_enough() -> None:
    verdict = evaluate(RULE, situation(ticked("rsa", 1, D(2027, 1, 1))), ON)
    assert verdict.eligible and verdict.reasons == ()
    assert (verdict.level1, verdict.level2) == (1, 0)


def test_two_level_2_criteria_are_enough_one_is_not() -> None:
    two = situation(ticked("qpv", 2, required=False), ticked("deld", 2, None))
    assert evaluate(RULE, two, ON).eligible
    one = evaluate(RULE, situation(ticked("qpv", 2, required=False)), ON)
    assert not one.eligible
    assert [r.code for r in one.reasons] == ["criteria"]
    assert one.reasons[0].text == (
        "Il faut 1 critère(s) de niveau 1 ou 2 critère(s) de niveau 2 : "
        "0 de niveau 1 et 1 de niveau 2 retenus."
    )


def test_a_criterion_counts_only_while_one_of_its_proofs_is_valid() -> None:
    lapsed = situation(ticked("rsa", 1, D(2026, 11, 29)))
    verdict = evaluate(RULE, lapsed, ON)
    assert not verdict.eligible
    assert [r.text for r in verdict.reasons][0] == (
        "Le justificatif du critère « RSA » n'est plus valable depuis le 29/11/2026."
    )
    # The proof's last valid day still counts; a second, newer proof keeps it alive.
    assert evaluate(RULE, situation(ticked("rsa", 1, D(2026, 11, 30))), ON).eligible
    assert evaluate(RULE, situation(ticked("rsa", 1, D(2026, 11, 1), D(2027, 1, 5))), ON).eligible
    missing = evaluate(RULE, situation(ticked("rsa", 1)), ON)
    assert [r.code for r in missing.reasons] == ["proof_missing", "criteria"]


def test_a_lapsed_extra_criterion_does_not_block_a_met_rule() -> None:
    verdict = evaluate(
        RULE, situation(ticked("rsa", 1, None), ticked("deld", 2, D(2026, 1, 1))), ON
    )
    assert verdict.eligible and verdict.reasons == ()


def test_expired_diagnostic_registration_and_age_bounds_each_give_a_reason() -> None:
    expired = Situation((ticked("rsa", 1, None),), 40, True, valid_until=D(2026, 11, 29))
    assert [r.code for r in evaluate(RULE, expired, ON).reasons] == ["expired"]
    assert evaluate(RULE, expired, D(2026, 11, 29)).eligible
    not_registered = evaluate(RULE, situation(ticked("rsa", 1, None), registered=False), ON)
    assert [r.text for r in not_registered.reasons] == [
        "La personne doit être inscrite à France Travail."
    ]
    young = evaluate(RULE, situation(ticked("rsa", 1, None), age=17), ON)
    assert [r.text for r in young.reasons] == [
        "La personne a 17 ans : le parcours demande 18 ans au moins."
    ]
    old = evaluate(RULE, situation(ticked("rsa", 1, None), age=65), ON)
    assert [r.code for r in old.reasons] == ["too_old"]
    assert evaluate(RULE, situation(ticked("rsa", 1, None), age=64), ON).eligible


@pytest.mark.parametrize(
    ("rule", "codes"),
    [
        (Rule(), ["france_travail", "too_old"]),
        (Rule(france_travail_required=False), ["too_old"]),
        (Rule(min_age=None, max_age=None, france_travail_required=False), []),
        (
            Rule(level1_needed=2, level2_needed=3, france_travail_required=False, max_age=None),
            ["criteria"],
        ),
    ],
)
def test_rules_are_configurable(rule: Rule, codes: list[str]) -> None:
    verdict = evaluate(rule, situation(ticked("rsa", 1, None), age=70, registered=False), ON)
    assert [r.code for r in verdict.reasons] == codes
    assert verdict.eligible is (codes == [])


def test_rule_describes_itself() -> None:
    assert RULE.describe() == (
        "1 critère(s) de niveau 1 ou 2 critère(s) de niveau 2, inscription à France Travail, "
        "de 18 à 64 ans"
    )
