"""Reads of documents: a learner's versions, and a cohort's table of learners and documents."""

from dataclasses import dataclass, field

from tremplin.cohorts.models import Cohort, Enrolment

from .enums import DocumentKind
from .models import LearnerDocument


@dataclass
class Versions:
    """One kind of document of one learner: every version, newest first."""

    kind: DocumentKind
    versions: list[LearnerDocument] = field(default_factory=list)

    @property
    def latest(self) -> LearnerDocument | None:
        return self.versions[0] if self.versions else None

    @property
    def older(self) -> list[LearnerDocument]:
        return self.versions[1:]


@dataclass
class LearnerRow:
    enrolment: Enrolment
    kinds: list[Versions]


def _grouped(enrolments: list[Enrolment], documents: list[LearnerDocument]) -> list[LearnerRow]:
    by_key: dict[tuple[int, str], list[LearnerDocument]] = {}
    for document in documents:
        by_key.setdefault((document.enrolment_id, document.kind), []).append(document)
    return [
        LearnerRow(e, [Versions(k, by_key.get((e.pk, k.value), [])) for k in DocumentKind])
        for e in enrolments
    ]


def _documents(enrolments: list[Enrolment]) -> list[LearnerDocument]:
    return list(
        LearnerDocument.objects.filter(enrolment__in=enrolments)
        .select_related("generated_by", "enrolment__candidacy__person")
        .order_by("enrolment_id", "kind", "-version")
    )


def cohort_documents(cohort: Cohort) -> list[LearnerRow]:
    """Each learner of ``cohort`` (alphabetical) with their documents (two queries)."""
    enrolments = list(
        Enrolment.objects.filter(cohort=cohort)
        .select_related("candidacy__person", "cohort")
        .order_by("candidacy__person__last_name", "candidacy__person__first_name", "id")
    )
    return _grouped(enrolments, _documents(enrolments))


def learner_documents(enrolments: list[Enrolment]) -> list[LearnerRow]:
    """The given enrolments (a learner's own) with their documents."""
    return [
        row
        for row in _grouped(enrolments, _documents(enrolments))
        if any(v.versions for v in row.kinds)
    ]


def enrolments_due(cohort: Cohort) -> list[Enrolment]:
    """The learners a cohort-wide generation covers: every enrolment, ended ones included (a
    learner who left early is owed a certificat for the hours they did attend)."""
    return list(
        Enrolment.objects.filter(cohort=cohort)
        .select_related("candidacy__person", "cohort__site__network", "cohort__programme")
        .order_by("candidacy__person__last_name", "candidacy__person__first_name", "id")
    )
