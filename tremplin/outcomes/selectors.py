"""Reads on follow-ups: the current answer of each milestone among its history."""

from django.db.models import OuterRef, QuerySet, Subquery

from .models import FollowUp


def current_follow_ups(queryset: QuerySet[FollowUp] | None = None) -> QuerySet[FollowUp]:
    """The current answer of each (enrolment, milestone) among ``queryset``'s rows: the one
    with the latest ``recorded_on``, ties going to the later entry. One subquery, any size."""
    queryset = FollowUp.objects.all() if queryset is None else queryset
    latest = (
        FollowUp.objects.filter(enrolment=OuterRef("enrolment"), milestone=OuterRef("milestone"))
        .order_by("-recorded_on", "-id")
        .values("pk")[:1]
    )
    return queryset.filter(pk=Subquery(latest))
