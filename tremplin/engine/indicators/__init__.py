"""Impact indicators on plain facts: pure Python, no Django, no database (issue 7 §2).

Selectors adapt the database rows to the frozen fact types of each module; the modules return
``Figure`` objects (numerator, denominator, value or None for "no data") that the pages show,
hiding small cells with ``suppressed``. Every definition is in docs/indicators.md.

- ``funnel``: the site funnel, referred → employed at 6 months (dashboards, reports);
- ``figures``: ``Figure`` and the small-cell rule;
- ``pathway``: referrals, acceptance, enrolment, completion and drop-out with reasons;
- ``certification``: competency blocks validated, certification obtained;
- ``employment``: employment per milestone, « sortie dynamique », retention at 12 months;
- ``time_to_job``: time to first job, Kaplan–Meier with censoring;
- ``public``: the public served (QPV, RSA, women, age bands, diploma);
- ``cost``: cost per learner and per positive outcome;
- ``satisfaction``: share satisfied and response rate;
- ``vocabulary``: the stored values read, mirrored from the apps' enums.
"""

from .certification import Certification, LearnerCertification, certification
from .cost import CohortBudget, Cost, Costs, cost_per, costs
from .employment import (
    FollowUps,
    MilestoneRate,
    PositiveOutcomes,
    Retention,
    add_months,
    employment,
    employment_by_milestone,
    fixed_term_situation,
    positive_outcomes,
    retention,
)
from .figures import SMALL_CELL_MINIMUM, Figure, figure, suppressed
from .funnel import STAGES, CandidacyFacts, Funnel, FunnelStage, check_consistent, funnels
from .pathway import Candidacy, Completion, Enrolment, Referrals, completion, referrals
from .public import AGE_BANDS, Entrant, PublicServed, age_band, age_on, public_served
from .satisfaction import Satisfaction, satisfaction
from .time_to_job import JobSearch, Step, SurvivalCurve, kaplan_meier, time_to_first_job

__all__ = [
    "AGE_BANDS",
    "SMALL_CELL_MINIMUM",
    "STAGES",
    "Candidacy",
    "CandidacyFacts",
    "Certification",
    "CohortBudget",
    "Completion",
    "Cost",
    "Costs",
    "Enrolment",
    "Entrant",
    "Figure",
    "FollowUps",
    "Funnel",
    "FunnelStage",
    "JobSearch",
    "LearnerCertification",
    "MilestoneRate",
    "PositiveOutcomes",
    "PublicServed",
    "Referrals",
    "Retention",
    "Satisfaction",
    "Step",
    "SurvivalCurve",
    "add_months",
    "age_band",
    "age_on",
    "certification",
    "check_consistent",
    "completion",
    "cost_per",
    "costs",
    "employment",
    "employment_by_milestone",
    "figure",
    "fixed_term_situation",
    "funnels",
    "kaplan_meier",
    "positive_outcomes",
    "public_served",
    "referrals",
    "retention",
    "satisfaction",
    "suppressed",
    "time_to_first_job",
]
