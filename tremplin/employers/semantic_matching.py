"""Texts for the matching's optional experience term: learners' past experience, offers' text.

The engine scores sentence vectors it is given (``tremplin.engine.matching``, docs/matching.md);
this module reads the texts on the rows — ``JobSearch.experience`` for a learner, the
opening's title and description — has them embedded (``engine.matching.semantic``, the
``semantic`` extra) and returns the engine's learners and openings carrying their vectors.

The term's weight is the ``MATCHING_SEMANTIC_WEIGHT`` setting, 0 (off) by default: then the
learners and openings come back untouched and nothing is imported or computed. Above 0
without the extra installed, embedding refuses with a French ``MatchingInputError`` saying
what to install; ``check_semantic_setting`` (a system check) says it at start-up already.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings as django_settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from tremplin.engine.matching import model as engine
from tremplin.engine.matching import semantic

from .models import JobSearch, Opening

__all__ = [
    "check_semantic_setting",
    "offer_text",
    "semantic_weight",
    "with_experience",
    "with_offer_text",
]


def semantic_weight() -> float:
    """The experience term's weight, e in [0, 1); 0 when the setting is absent."""
    raw = getattr(django_settings, "MATCHING_SEMANTIC_WEIGHT", 0) or 0
    try:
        weight = float(raw)
    except (TypeError, ValueError):
        raise ImproperlyConfigured(
            f"MATCHING_SEMANTIC_WEIGHT doit être un nombre entre 0 et 1 (reçu « {raw} »)."
        ) from None
    if not 0.0 <= weight < 1.0:
        raise ImproperlyConfigured(
            f"MATCHING_SEMANTIC_WEIGHT doit être compris entre 0 (inclus) et 1 (exclu) "
            f"(reçu {weight})."
        )
    return weight


def offer_text(opening: Opening) -> str:
    """What the offer says of the job: its title, then its description ("" if neither)."""
    return "\n".join(part.strip() for part in (opening.title, opening.description) if part.strip())


def with_experience(
    learners: Sequence[engine.Learner], searches: Mapping[int, JobSearch]
) -> list[engine.Learner]:
    """The learners with the vector of their written experience (``searches`` by enrolment
    pk, the learner's id); unchanged when the term is off or they wrote none."""
    if semantic_weight() == 0:
        return list(learners)
    texts = {}
    for learner in learners:
        search = searches.get(int(learner.id))
        text = search.experience.strip() if search is not None else ""
        if text:
            texts[learner.id] = text
    vectors = _vectors(list(texts.values()))
    return [
        dataclasses.replace(learner, experience_vector=vectors[texts[learner.id]])
        if learner.id in texts
        else learner
        for learner in learners
    ]


def with_offer_text(
    openings: Sequence[engine.Opening], rows: Sequence[Opening]
) -> list[engine.Opening]:
    """The openings with the vector of their title and description; unchanged when the term
    is off."""
    if semantic_weight() == 0:
        return list(openings)
    texts = {str(row.pk): offer_text(row) for row in rows}
    vectors = _vectors([text for text in texts.values() if text])
    return [
        dataclasses.replace(opening, offer_vector=vectors[texts[opening.id]])
        if texts.get(opening.id)
        else opening
        for opening in openings
    ]


def _vectors(texts: list[str]) -> dict[str, bytes]:
    distinct = list(dict.fromkeys(texts))
    return {
        text: engine.text_vector(vector)
        for text, vector in zip(distinct, semantic.embed(distinct), strict=True)
    }


def check_semantic_setting(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """System check: a positive MATCHING_SEMANTIC_WEIGHT needs the ``semantic`` extra."""
    try:
        weight = semantic_weight()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="employers.E101")]
    if weight > 0 and not semantic.available():
        return [
            checks.Error(
                semantic.MISSING_PACKAGE,
                hint="pip install -e '.[semantic]', ou MATCHING_SEMANTIC_WEIGHT=0.",
                id="employers.E102",
            )
        ]
    return []
