"""Reads: the page's sentences are the engine's, and the eligibility check stays cheap."""

import pytest
from django.utils import translation

from tests import factories
from tremplin.eligibility.selectors import eligibility_of, reason_text
from tremplin.engine.eligibility import REASON_TEXTS, Reason

PARAMS = {
    "day": "01/12/2026",
    "criterion": "RSA",
    "level1": 1,
    "level2": 2,
    "have1": 0,
    "have2": 1,
    "age": 17,
    "min_age": 18,
    "max_age": 64,
}


@pytest.mark.parametrize("code", sorted(REASON_TEXTS))
def test_translated_reasons_say_in_french_what_the_engine_says(code):
    reason = Reason(code, PARAMS)
    with translation.override("fr"):
        assert reason_text(reason) == reason.text


@pytest.mark.django_db
def test_checking_a_candidacy_takes_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    candidacy = factories.referral(world)
    for _ in range(3):
        factories.diagnostic(candidacy, world.user("prescriber"), criteria=("rsa", "deld"))
    candidacy = (
        type(candidacy)
        .objects.select_related("person", "cohort__site", "cohort__programme")
        .get(pk=candidacy.pk)
    )
    with django_assert_max_num_queries(5):
        check = eligibility_of(candidacy)
    assert check.eligible
