"""Timetabling of cohorts on a technical platform: the problem, the CP-SAT planner, a greedy
baseline, and the explanations given when no plan exists. Pure Python, no Django import."""

from .model import (
    Calendar,
    CohortSpec,
    FixedSession,
    LabSpec,
    ModuleSpec,
    Plan,
    PlannedSession,
    Problem,
    TrainerSpec,
    Weights,
)

__all__ = [
    "Calendar",
    "CohortSpec",
    "FixedSession",
    "LabSpec",
    "ModuleSpec",
    "Plan",
    "PlannedSession",
    "Problem",
    "TrainerSpec",
    "Weights",
]
