"""A tiny plateau as JSON (the input format), for the planner's tests: two rooms, one
splicer pair, two trainers, one cohort of 8 split in two groups for the fibre lab."""

import copy
from typing import Any

import pytest

TINY: dict[str, Any] = {
    "labs": [
        {"id": "salle", "kind": "classroom", "workstations": 10},
        {"id": "fibre", "kind": "fibre", "workstations": 6},
    ],
    "equipment": {"fusion_splicer": 2},
    "trainers": [
        {"id": "ana", "modules": ["A", "B"], "max_half_days_per_week": 6},
        {
            "id": "bob",
            "modules": ["B", "C"],
            "unavailable": [{"day": "2027-01-04", "half_day": "am"}],
        },
    ],
    "cohorts": [
        {
            "id": "P1",
            "size": 8,
            "earliest_start": "2027-01-04",
            "latest_start": "2027-01-05",
            "modules": [
                {"code": "A", "title": "Accueil", "hours": 7, "lab_kind": "classroom"},
                {
                    "code": "B",
                    "title": "Épissure",
                    "hours": 7,
                    "lab_kind": "fibre",
                    "equipment": {"fusion_splicer": 2},
                    "prerequisites": ["A"],
                },
                {
                    "code": "C",
                    "title": "Recette",
                    "hours": 3.5,
                    "lab_kind": "fibre",
                    "prerequisites": ["B"],
                },
            ],
        }
    ],
    "calendar": {"first_day": "2027-01-04", "last_day": "2027-01-15"},
}


@pytest.fixture
def tiny() -> dict[str, Any]:
    return copy.deepcopy(TINY)
