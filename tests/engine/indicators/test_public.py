"""The public served: QPV, RSA, women, age bands at entry, diploma level."""

import datetime

import pytest

from tremplin.engine.indicators import Entrant, age_band, age_on, public_served, suppressed

ENTRY = datetime.date(2023, 6, 5)


def entrant(birth, *, qpv=False, rsa=False, woman=None, diploma="cap_bep"):
    return Entrant(
        entered_on=ENTRY,
        birth_date=birth,
        in_qpv=qpv,
        receives_rsa=rsa,
        woman=woman,
        diploma=diploma,
    )


def counts(shares):
    return [(key, share.numerator, share.denominator) for key, share in shares]


def test_age_in_completed_years_at_entry_and_its_band():
    assert age_on(datetime.date(1997, 6, 5), ENTRY) == 26  # birthday on entry day
    assert age_on(datetime.date(1997, 6, 6), ENTRY) == 25
    assert age_on(datetime.date(2004, 2, 29), datetime.date(2023, 2, 28)) == 18
    assert [age_band(a) for a in (16, 25, 26, 44, 45, 67)] == [
        "under_26", "under_26", "26_44", "26_44", "45_plus", "45_plus",
    ]  # fmt: skip
    with pytest.raises(ValueError, match="negative"):
        age_band(-1)


def test_shares_of_the_public_served():
    people = [
        entrant(datetime.date(1998, 1, 1), qpv=True, rsa=True, woman=True, diploma="none"),
        entrant(datetime.date(1997, 6, 6), qpv=True, woman=False, diploma="bac"),  # 25
        entrant(datetime.date(1997, 6, 5), qpv=True, rsa=True, woman=False),  # 26 that day
        entrant(datetime.date(1978, 6, 6), rsa=True, woman=None, diploma=""),  # 44
        entrant(datetime.date(1972, 1, 1), qpv=True, woman=True, diploma="bac3"),  # 51
    ]
    result = public_served(people)
    assert result.entrants == 5
    assert (result.qpv.numerator, result.qpv.denominator) == (4, 5)
    assert result.rsa.value == 0.6
    assert (result.women.numerator, result.women.denominator, result.sex_unknown) == (2, 4, 1)
    assert counts(result.age_bands) == [("under_26", 2, 5), ("26_44", 2, 5), ("45_plus", 1, 5)]
    assert counts(result.diplomas) == [
        ("none", 1, 4), ("cap_bep", 1, 4), ("bac", 1, 4), ("bac2", 0, 4), ("bac3", 1, 4),
    ]  # fmt: skip
    assert result.diploma_unknown == 1
    # Five people, but 4 of 5 in a QPV says who the fifth is: hidden.
    assert suppressed(result.qpv)
    assert suppressed(result.diplomas[3][1])  # about the 4 whose diploma is known: hidden
    assert suppressed(result.age_bands[0][1])  # 2 of 5: a small cell
    assert suppressed(public_served(people * 2).rsa)  # 6 of 10: the 4 without RSA are few
    assert not suppressed(public_served(people * 3).rsa)  # 9 of 15, 6 without: shown


def test_no_entrant_is_no_data():
    result = public_served([])
    assert result.entrants == 0
    assert result.qpv.value is None
    assert result.women.value is None
    assert all(share.value is None for _, share in result.age_bands + result.diplomas)


def test_sex_never_recorded_leaves_the_share_of_women_without_data():
    result = public_served([entrant(datetime.date(1990, 1, 1))] * 6)
    assert result.women.no_data
    assert result.sex_unknown == 6


def test_bad_facts_are_refused():
    with pytest.raises(ValueError, match="diploma"):
        entrant(datetime.date(1990, 1, 1), diploma="phd")
    with pytest.raises(ValueError, match="born after entry"):
        entrant(datetime.date(2024, 1, 1))
