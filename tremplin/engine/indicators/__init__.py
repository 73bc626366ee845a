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
- ``vocabulary``: the stored values read, mirrored from the apps' enums;
- ``bpf``: the trainee tables F-1, F-3 and F-4 of the « bilan pédagogique et financier ».
"""

from .bpf import BPF_CATEGORIES, BPF_OBJECTIVES, Bpf, BpfLine, BpfTable, BpfTrainee, bpf
from .certification import Certification, LearnerCertification, certification
from .cost import CohortBudget, Cost, Costs, cost_per, costs, costs_from_totals
from .employment import (
    FollowUps,
    MilestoneRate,
    PositiveOutcomes,
    Retention,
    add_months,
    employment,
    employment_by_milestone,
    employment_from_counts,
    fixed_term_situation,
    milestone_counts,
    positive_outcomes,
    positive_outcomes_from_counts,
    retention,
    retention_from_counts,
)
from .figures import SMALL_CELL_MINIMUM, Figure, figure, suppressed
from .funnel import STAGES, CandidacyFacts, Funnel, FunnelStage, check_consistent, funnels
from .pathway import (
    Candidacy,
    Completion,
    Enrolment,
    Referrals,
    completion,
    completion_from_counts,
    referrals,
    referrals_from_counts,
)
from .public import (
    AGE_BANDS,
    Entrant,
    EntrantProfile,
    PublicServed,
    age_band,
    age_on,
    public_served,
    public_served_from_counts,
    public_served_from_totals,
)
from .satisfaction import Satisfaction, satisfaction, satisfaction_from_counts
from .time_to_job import (
    JobSearch,
    Step,
    SurvivalCurve,
    kaplan_meier,
    kaplan_meier_weighted,
    time_to_first_job,
)

__all__ = [
    "AGE_BANDS",
    "BPF_CATEGORIES",
    "BPF_OBJECTIVES",
    "SMALL_CELL_MINIMUM",
    "STAGES",
    "Bpf",
    "BpfLine",
    "BpfTable",
    "BpfTrainee",
    "Candidacy",
    "CandidacyFacts",
    "Certification",
    "CohortBudget",
    "Completion",
    "Cost",
    "Costs",
    "Enrolment",
    "Entrant",
    "EntrantProfile",
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
    "bpf",
    "certification",
    "check_consistent",
    "completion",
    "completion_from_counts",
    "cost_per",
    "costs",
    "costs_from_totals",
    "employment",
    "employment_by_milestone",
    "employment_from_counts",
    "figure",
    "fixed_term_situation",
    "funnels",
    "kaplan_meier",
    "kaplan_meier_weighted",
    "milestone_counts",
    "positive_outcomes",
    "positive_outcomes_from_counts",
    "public_served",
    "public_served_from_counts",
    "public_served_from_totals",
    "referrals",
    "referrals_from_counts",
    "retention",
    "retention_from_counts",
    "satisfaction",
    "satisfaction_from_counts",
    "suppressed",
    "time_to_first_job",
]
