"""Every model that holds data about a person: found by walking foreign keys back to Person.

The walk follows every concrete foreign key (hidden related names included) from a model to
one already reached, starting from ``people.Person``; a model reached by several paths keeps
the shortest. A model added later with a path to Person is exported and anonymised without
anyone listing it here (tests/gdpr/test_export.py checks the walk against the app registry).
"""

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db import models

from tremplin.people.models import Person

# Derived, person-free facts the indicators are counted on: kept as they are (docs/gdpr.md).
# Their candidacy link stays; they hold no identity value.
AGGREGATE_MODELS = frozenset({"reports.LearnerFacts", "reports.RetractedFacts"})


@dataclass(frozen=True)
class PersonPath:
    model: type[models.Model]
    lookup: str  # e.g. "enrolment__candidacy__person": filter(**{lookup: person})

    @property
    def label(self) -> str:
        return self.model._meta.label


@cache
def person_paths() -> tuple[PersonPath, ...]:
    """Each model with a foreign-key path to Person (Person itself excluded), nearest first."""
    reached: dict[type[models.Model], str] = {Person: ""}
    order: list[PersonPath] = []
    frontier: list[type[models.Model]] = [Person]
    all_models = apps.get_models()
    while frontier:
        found: list[type[models.Model]] = []
        for model in all_models:
            if model in reached:
                continue
            for field in model._meta.concrete_fields:
                target = field.related_model if field.is_relation else None
                if target in frontier:
                    prefix = reached[target]
                    lookup = f"{field.name}__{prefix}".rstrip("_") if prefix else field.name
                    reached[model] = lookup
                    order.append(PersonPath(model, lookup))
                    found.append(model)
                    break
        frontier = found
    return tuple(order)


def rows_of(path: PersonPath, person: Person) -> models.QuerySet[models.Model]:
    return path.model._base_manager.filter(**{path.lookup: person}).order_by("pk")
