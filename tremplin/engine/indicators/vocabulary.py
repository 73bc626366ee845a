"""The stored values the indicators read, as plain strings (the engine imports no Django).

Each constant mirrors a ``TextChoices`` of the apps; tests/engine/indicators/test_vocabulary.py
checks they stay equal. Which values count for which indicator is decided here, once, and
explained in docs/indicators.md.
"""

from __future__ import annotations

__all__ = [
    "CANDIDACY_STATUSES",
    "DIPLOMAS",
    "EMPLOYED_SITUATIONS",
    "ENROLMENT_STATUSES",
    "MILESTONE_MONTHS",
    "MILESTONES",
    "POSITIVE_OUTCOME_SITUATIONS",
    "SITUATIONS",
    "UNDETERMINED_OUTCOME_SITUATIONS",
    "UNKNOWN_SITUATION",
]

# tremplin.outcomes.enums.Milestone, with the months after exit each one falls due.
MILESTONE_MONTHS: dict[str, int] = {"exit": 0, "m3": 3, "m6": 6, "m12": 12}
MILESTONES: tuple[str, ...] = tuple(MILESTONE_MONTHS)

# tremplin.outcomes.enums.Situation.
SITUATIONS: tuple[str, ...] = (
    "cdi",
    "cdd_long",
    "cdd_short",
    "interim",
    "apprenticeship",
    "training",
    "job_seeking",
    "inactive",
    "unknown",
)
UNKNOWN_SITUATION = "unknown"

# Any paid work, as tremplin.outcomes.enums.EMPLOYED_SITUATIONS.
EMPLOYED_SITUATIONS = frozenset({"cdi", "cdd_long", "cdd_short", "interim", "apprenticeship"})

# « Sortie dynamique » (issue 7): CDI, CDD or interim of 6 months or more, or qualifying
# training. Certain from the stored situation: a CDI, a CDD of 6 months or more, and
# alternance (a work contract of 6 months at least — the legal minimum of an apprenticeship
# or professionalisation contract — that leads to a qualification).
POSITIVE_OUTCOME_SITUATIONS = frozenset({"cdi", "cdd_long", "apprenticeship"})
# The follow-up does not record how long an interim assignment lasts, nor whether a training
# leads to a qualification: these count as not positive, and are reported apart so the reader
# sees how far the figure could move (docs/indicators.md, « Sortie dynamique »).
UNDETERMINED_OUTCOME_SITUATIONS = frozenset({"interim", "training"})

# tremplin.candidacies.enums.CandidacyStatus.
CANDIDACY_STATUSES: tuple[str, ...] = (
    "new",
    "invited",
    "positioning",
    "accepted",
    "waitlisted",
    "refused",
    "withdrawn",
    "enrolled",
)

# tremplin.cohorts.enums.EnrolmentStatus.
ENROLMENT_STATUSES: tuple[str, ...] = ("in_training", "completed", "dropped_out", "excluded")

# tremplin.people.enums.Diploma, lowest to highest.
DIPLOMAS: tuple[str, ...] = ("none", "cap_bep", "bac", "bac2", "bac3")
