"""One door to learners' documents: who reads them, who issues them.

Documents are read by whoever sees the learner's enrolment (``cohorts.perms``): the site's
coordinators, the network's admins, the cohort's trainers, and the learner themselves. Everyone
else gets 404, as for the enrolment.

Only the site's coordinators and the network's admins issue them. A certificat de réalisation
is what the funder pays on and an attestation engages the organisation: they are signed on its
behalf, which is the coordinator's role, not the trainer's. Trainers read them (they hand them
out and check the results they assessed); the hours come from sheets they countersigned.
"""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tremplin.accounts.roles import manages_site
from tremplin.cohorts.models import Cohort
from tremplin.cohorts.perms import enrolments_for_user

from .models import LearnerDocument


def documents_for_user(user: Any) -> QuerySet[LearnerDocument]:
    return LearnerDocument.objects.filter(enrolment__in=enrolments_for_user(user)).select_related(
        "enrolment__candidacy__person", "enrolment__cohort__site", "generated_by"
    )


def get_document_for_user(user: Any, document_id: int) -> LearnerDocument:
    return get_object_or_404(documents_for_user(user), pk=document_id)


def can_generate_documents(user: Any, cohort: Cohort) -> bool:
    return manages_site(user, cohort.site)
