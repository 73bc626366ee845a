"""Keeping ``reports.LearnerFacts`` current: one row per candidacy with what the indicators read.

- ``refresh_learner_facts(candidacy_ids)`` rewrites the rows of those candidacies and of every
  other candidacy of the same people (the « one entrant per person » flag needs them all), in
  the caller's transaction.
- Model signals (``connect``, from ``ReportsConfig.ready``) call it after every save or delete
  of what the rows copy: candidacy, enrolment, cohort (start, programme, site), person (the
  public-served attributes; a merge deletes the removed person, an undo saves the merge),
  follow-up answer, end-of-training survey invitation and answer. Signals rather than a call in
  each service: they see every write made through the ORM — services of six apps, the admin, the
  demo builder, geolocation — without each owner having to remember. Writes that bypass them
  (``bulk_create``, ``QuerySet.update``) call ``refresh_learner_facts`` themselves
  (``candidacies.services._write``, ``quality.services.survey_send``) or are followed by
  ``manage.py rebuild_learner_facts`` (bulk loads).
- Not copied, so not refreshed: cohort fundings (budgets and a funder's scope are read from
  ``CohortFunding`` at query time) and competency assessments (the track filter is an EXISTS
  on them at query time).
- ``rebuild_learner_facts()`` rebuilds the whole table: one ``INSERT … SELECT`` on PostgreSQL,
  the per-candidacy code by slices elsewhere. It drops the nightly rollup (reports.rollup).
- Before rewriting rows, ``refresh_learner_facts`` hands them to ``rollup.retract``, which keeps
  the version the rollup counted; a deleted candidacy's row, removed by the cascade before any
  post_delete signal, is handed over from pre_delete.
"""

from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Avg, Exists, OuterRef
from django.db.models.signals import post_delete, post_save, pre_delete

from tremplin.candidacies.models import Candidacy
from tremplin.cohorts.enums import EnrolmentStatus
from tremplin.cohorts.models import Cohort, Enrolment
from tremplin.engine import indicators as engine
from tremplin.engine.indicators.vocabulary import EMPLOYED_SITUATIONS, MILESTONE_MONTHS
from tremplin.outcomes.models import FollowUp
from tremplin.people.enums import Sex
from tremplin.people.models import Person, PersonMerge
from tremplin.quality.enums import SurveyKind
from tremplin.quality.models import SurveyAnswer, SurveyInvitation

from .models import LearnerFacts
from .reference import _job_search, _latest_answers
from .rollup import drop_rollup, retract

__all__ = ["connect", "rebuild_learner_facts", "refresh_learner_facts"]

# Person fields the rows copy: saving others (an email, a phone) changes no figure.
PERSON_FIELDS = frozenset(
    {"birth_date", "qpv_code", "qpv_declared", "receives_rsa", "highest_diploma", "sex"}
)
COHORT_FIELDS = frozenset({"start_date", "programme", "site"})
_SLICE = 5000


def _rows(candidacy_ids: list[int]) -> list[LearnerFacts]:
    """The rows of these candidacies, computed as ``reference.indicator_facts`` reads them."""
    candidacies = list(
        Candidacy.objects.filter(pk__in=candidacy_ids)
        .order_by("pk")
        .values_list(
            "pk",
            "person_id",
            "status",
            "cohort_id",
            "cohort__site_id",
            "cohort__programme_id",
            "cohort__start_date",
            "enrolment__id",
            "enrolment__status",
            "enrolment__end_reason",
            "enrolment__ended_on",
            "person__birth_date",
            "person__qpv_code",
            "person__qpv_declared",
            "person__receives_rsa",
            "person__highest_diploma",
            "person__sex",
        )
    )
    enrolment_ids = [row[7] for row in candidacies if row[7] is not None]
    answers = _latest_answers(
        list(
            FollowUp.objects.filter(enrolment_id__in=enrolment_ids)
            .order_by("recorded_on", "id")
            .values_list("enrolment_id", "milestone", "situation", "recorded_on")
        )
    )
    surveys = dict(
        SurveyInvitation.objects.filter(kind=SurveyKind.HOT, enrolment_id__in=enrolment_ids)
        .annotate(mean=Avg("answers__score"))
        .order_by()
        .values_list("enrolment_id", "mean")
    )
    rows = []
    for (
        pk,
        person_id,
        status,
        cohort_id,
        site_id,
        programme_id,
        start_date,
        enrolment_id,
        enrolment_status,
        reason,
        ended_on,
        birth_date,
        qpv_code,
        qpv_declared,
        rsa,
        diploma,
        sex,
    ) in candidacies:
        row = LearnerFacts(
            candidacy_id=pk,
            site_id=site_id,
            cohort_id=cohort_id,
            programme_id=programme_id,
            cohort_start=start_date,
            person_id=person_id,
            candidacy_status=status,
            in_qpv=bool(qpv_code) or qpv_declared,
            receives_rsa=rsa,
            woman=None if not sex else sex == Sex.FEMALE,
            diploma=diploma,
        )
        if enrolment_id is not None:
            ended = enrolment_status != EnrolmentStatus.IN_TRAINING
            row.enrolment_id = enrolment_id
            row.enrolment_status = enrolment_status
            row.end_reason = reason if ended else ""
            if birth_date <= start_date:
                row.age_band = engine.age_band(engine.age_on(birth_date, start_date))
            if enrolment_id in surveys:
                row.surveyed = True
                mean = surveys[enrolment_id]
                if mean is not None:
                    row.satisfaction = int(Decimal(mean).quantize(Decimal(1), ROUND_HALF_UP))
            if ended and ended_on is not None:
                own = answers.get(enrolment_id, {})
                row.ended_on = ended_on
                for milestone, months in MILESTONE_MONTHS.items():
                    setattr(row, f"due_{milestone}", engine.add_months(ended_on, months))
                    setattr(row, f"situation_{milestone}", own.get(milestone, ("", None))[0])
                search = _job_search(ended_on, reason, own)
                row.job_days, row.hired = search.days, search.hired
        rows.append(row)
    return rows


def _mark_repeats(rows: list[LearnerFacts]) -> None:
    """Flag the entrants who entered another cohort of the same site (rows: every candidacy
    of the people concerned)."""
    entries: dict[tuple[int, int], list[LearnerFacts]] = defaultdict(list)
    for row in rows:
        if row.age_band:
            entries[(row.site_id, row.person_id)].append(row)
    for same in entries.values():
        for row in same:
            row.repeat_entrant = len(same) > 1


def refresh_learner_facts(
    candidacy_ids: Iterable[int] = (),
    *,
    people: Iterable[int] = (),
    enrolments: Iterable[int] = (),
) -> int:
    """Rewrite the facts of these candidacies (or those of these people, of these
    enrolments) and of every other candidacy of the same people; returns the rows written.

    Runs in the caller's transaction: the facts change with the write that changes them.
    """
    ids = set(candidacy_ids)
    enrolment_ids = list(enrolments)
    if enrolment_ids:
        ids |= set(
            Enrolment.objects.filter(pk__in=enrolment_ids).values_list("candidacy_id", flat=True)
        )
    person_ids = set(people)
    if ids:
        # A candidacy that moved to another person (a merge) comes back through the person
        # its row still names: the signals pass that person.
        person_ids |= set(Candidacy.objects.filter(pk__in=ids).values_list("person_id", flat=True))
    if person_ids:
        ids |= set(
            Candidacy.objects.filter(person_id__in=person_ids).values_list("pk", flat=True)
        ) | set(LearnerFacts.objects.filter(person_id__in=person_ids).values_list("pk", flat=True))
    if not ids:
        return 0
    # No savepoint of its own: a failure here fails the caller's write, as it must.
    with transaction.atomic(savepoint=False):
        # One refresh at a time per person, in id order: two transactions writing about the
        # same person (two follow-ups of their two enrolments) must not each rewrite the rows
        # from what they read before the other committed.
        list(
            Person.objects.select_for_update()
            .filter(pk__in=person_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        # The rollup keeps what it counted of these rows and reads them live from now on.
        retract(ids)
        LearnerFacts.objects.filter(pk__in=ids).delete()
        rows = _rows(sorted(ids))
        _mark_repeats(rows)
        LearnerFacts.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def rebuild_learner_facts() -> int:
    """Empty and rebuild the whole table, set-based; returns the number of rows.

    For after a bulk load (``manage.py rebuild_learner_facts``): one ``INSERT … SELECT`` on
    PostgreSQL, whose ``date + interval 'n months'`` clamps to the month's last day exactly as
    ``engine.add_months`` does; elsewhere the per-candidacy code, by slices.
    """
    with transaction.atomic():
        drop_rollup()
        LearnerFacts.objects.all().delete()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(_REBUILD_SQL, _rebuild_params())
                count = int(cursor.rowcount)
        else:
            count = 0
            ids = list(Candidacy.objects.order_by("pk").values_list("pk", flat=True))
            for start in range(0, len(ids), _SLICE):
                rows = _rows(ids[start : start + _SLICE])
                LearnerFacts.objects.bulk_create(rows, batch_size=1000)
                count += len(rows)
        entrants = LearnerFacts.objects.exclude(age_band="")
        entrants.filter(
            Exists(
                entrants.filter(site_id=OuterRef("site_id"), person_id=OuterRef("person_id"))
                .exclude(pk=OuterRef("pk"))
                .order_by()
            )
        ).update(repeat_entrant=True)
    return count


def _rebuild_params() -> dict[str, Any]:
    return {
        "hot": SurveyKind.HOT.value,
        "in_training": EnrolmentStatus.IN_TRAINING.value,
        "female": Sex.FEMALE.value,
        "found_job": "found_job",
        "employed": sorted(EMPLOYED_SITUATIONS),
    }


# The reference's reading in SQL (reference.indicator_facts, _latest_answers, _job_search):
# the latest answer per (enrolment, milestone) by recorded_on then id; the first job is the
# earliest day among those latest answers in work, else the exit day after leaving for a job;
# the last known day is the latest of the exit and those answers; ages in completed years.
_REBUILD_SQL = """
WITH latest AS (
    SELECT DISTINCT ON (f.enrolment_id, f.milestone)
           f.enrolment_id, f.milestone, f.situation, f.recorded_on
      FROM outcomes_followup f
  ORDER BY f.enrolment_id, f.milestone, f.recorded_on DESC, f.id DESC
), answers AS (
    SELECT enrolment_id,
           MAX(situation) FILTER (WHERE milestone = 'exit') AS s_exit,
           MAX(situation) FILTER (WHERE milestone = 'm3') AS s_m3,
           MAX(situation) FILTER (WHERE milestone = 'm6') AS s_m6,
           MAX(situation) FILTER (WHERE milestone = 'm12') AS s_m12,
           MIN(recorded_on) FILTER (WHERE situation = ANY(%(employed)s)) AS first_job,
           MAX(recorded_on) AS last_answer
      FROM latest
  GROUP BY enrolment_id
), surveys AS (
    SELECT i.enrolment_id, AVG(a.score) AS mean
      FROM quality_surveyinvitation i
 LEFT JOIN quality_surveyanswer a ON a.invitation_id = i.id
     WHERE i.kind = %(hot)s
  GROUP BY i.id, i.enrolment_id
), base AS (
    SELECT c.id AS candidacy_id, co.site_id, c.cohort_id, co.programme_id,
           co.start_date AS cohort_start, c.person_id, c.status AS candidacy_status,
           e.id AS enrolment_id, e.status AS enrolment_status, e.end_reason, e.ended_on,
           p.birth_date, p.qpv_code, p.qpv_declared, p.receives_rsa, p.highest_diploma, p.sex,
           an.s_exit, an.s_m3, an.s_m6, an.s_m12, an.first_job, an.last_answer,
           sv.enrolment_id IS NOT NULL AS surveyed, sv.mean
      FROM candidacies_candidacy c
      JOIN cohorts_cohort co ON co.id = c.cohort_id
      JOIN people_person p ON p.id = c.person_id
 LEFT JOIN cohorts_enrolment e ON e.candidacy_id = c.id
 LEFT JOIN answers an ON an.enrolment_id = e.id
 LEFT JOIN surveys sv ON sv.enrolment_id = e.id
), shaped AS (
    SELECT b.*,
           (b.enrolment_id IS NOT NULL AND b.enrolment_status <> %(in_training)s
            AND b.ended_on IS NOT NULL) AS ended,
           EXTRACT(YEAR FROM b.cohort_start)::int - EXTRACT(YEAR FROM b.birth_date)::int
           - CASE WHEN (EXTRACT(MONTH FROM b.cohort_start), EXTRACT(DAY FROM b.cohort_start))
                     < (EXTRACT(MONTH FROM b.birth_date), EXTRACT(DAY FROM b.birth_date))
                  THEN 1 ELSE 0 END AS age,
           COALESCE(b.first_job,
                    CASE WHEN b.end_reason = %(found_job)s THEN b.ended_on END) AS job_on
      FROM base b
)
INSERT INTO reports_learnerfacts (
    candidacy_id, site_id, cohort_id, programme_id, cohort_start, person_id, candidacy_status,
    enrolment_id, enrolment_status, end_reason, ended_on,
    due_exit, due_m3, due_m6, due_m12,
    situation_exit, situation_m3, situation_m6, situation_m12,
    job_days, hired, age_band, repeat_entrant, in_qpv, receives_rsa, woman, diploma,
    surveyed, satisfaction
)
SELECT s.candidacy_id, s.site_id, s.cohort_id, s.programme_id, s.cohort_start, s.person_id,
       s.candidacy_status,
       s.enrolment_id, COALESCE(s.enrolment_status, ''),
       CASE WHEN s.enrolment_id IS NOT NULL AND s.enrolment_status <> %(in_training)s
            THEN s.end_reason ELSE '' END,
       CASE WHEN s.ended THEN s.ended_on END,
       CASE WHEN s.ended THEN s.ended_on END,
       CASE WHEN s.ended THEN (s.ended_on + INTERVAL '3 months')::date END,
       CASE WHEN s.ended THEN (s.ended_on + INTERVAL '6 months')::date END,
       CASE WHEN s.ended THEN (s.ended_on + INTERVAL '12 months')::date END,
       CASE WHEN s.ended THEN COALESCE(s.s_exit, '') ELSE '' END,
       CASE WHEN s.ended THEN COALESCE(s.s_m3, '') ELSE '' END,
       CASE WHEN s.ended THEN COALESCE(s.s_m6, '') ELSE '' END,
       CASE WHEN s.ended THEN COALESCE(s.s_m12, '') ELSE '' END,
       CASE WHEN s.ended THEN GREATEST(0, COALESCE(
            s.job_on, GREATEST(s.ended_on, COALESCE(s.last_answer, s.ended_on))) - s.ended_on)
       END,
       s.ended AND s.job_on IS NOT NULL,
       CASE WHEN s.enrolment_id IS NULL OR s.birth_date > s.cohort_start THEN ''
            WHEN s.age <= 25 THEN 'under_26'
            WHEN s.age <= 44 THEN '26_44'
            ELSE '45_plus' END,
       FALSE,
       s.qpv_code <> '' OR s.qpv_declared,
       s.receives_rsa,
       CASE WHEN s.sex = '' THEN NULL ELSE s.sex = %(female)s END,
       s.highest_diploma,
       COALESCE(s.surveyed, FALSE),
       CASE WHEN s.mean IS NOT NULL THEN FLOOR(s.mean + 0.5)::int END
  FROM shaped s
"""


# --- Signals ---------------------------------------------------------------------------------


def _candidacy_changed(sender: Any, instance: Candidacy, **kwargs: Any) -> None:
    refresh_learner_facts([instance.pk], people=[instance.person_id])


def _candidacy_deleting(sender: Any, instance: Candidacy, **kwargs: Any) -> None:
    # Its facts row goes with it (on delete cascade) before post_delete: the rollup must keep
    # what it counted of the row first.
    retract([instance.pk])


def _enrolment_changed(sender: Any, instance: Enrolment, **kwargs: Any) -> None:
    refresh_learner_facts([instance.candidacy_id])


def _cohort_saved(
    sender: Any, instance: Cohort, created: bool, update_fields: Any = None, **kwargs: Any
) -> None:
    if created or (update_fields is not None and not COHORT_FIELDS & set(update_fields)):
        return
    refresh_learner_facts(Candidacy.objects.filter(cohort=instance).values_list("pk", flat=True))


def _person_saved(
    sender: Any, instance: Person, created: bool, update_fields: Any = None, **kwargs: Any
) -> None:
    if created or (update_fields is not None and not PERSON_FIELDS & set(update_fields)):
        return
    refresh_learner_facts(people=[instance.pk])


def _person_deleted(sender: Any, instance: Person, **kwargs: Any) -> None:
    # A merge moves the removed person's candidacies, then deletes them: their rows still say
    # the removed id, which brings the candidacies (and the kept person's others) back.
    refresh_learner_facts(people=[instance.pk])


def _merge_saved(sender: Any, instance: PersonMerge, **kwargs: Any) -> None:
    # An undo moves the rows back with QuerySet.update, then saves the merge as undone.
    if instance.undone_at is not None:
        refresh_learner_facts(people=[instance.kept_person_id, instance.removed_person_id])


def _follow_up_changed(sender: Any, instance: FollowUp, **kwargs: Any) -> None:
    refresh_learner_facts(enrolments=[instance.enrolment_id])


def _invitation_changed(sender: Any, instance: SurveyInvitation, **kwargs: Any) -> None:
    if instance.kind == SurveyKind.HOT:
        refresh_learner_facts(enrolments=[instance.enrolment_id])


def _answer_changed(sender: Any, instance: SurveyAnswer, **kwargs: Any) -> None:
    refresh_learner_facts(
        enrolments=SurveyInvitation.objects.filter(
            pk=instance.invitation_id, kind=SurveyKind.HOT
        ).values_list("enrolment_id", flat=True)
    )


def connect() -> None:
    """Keep the facts current on every ORM write of what they copy (ReportsConfig.ready)."""
    uid = "reports.learner_facts"
    for model, handler in (
        (Candidacy, _candidacy_changed),
        (Enrolment, _enrolment_changed),
        (FollowUp, _follow_up_changed),
        (SurveyInvitation, _invitation_changed),
        (SurveyAnswer, _answer_changed),
    ):
        post_save.connect(handler, sender=model, dispatch_uid=f"{uid}.{model.__name__}.save")
        post_delete.connect(handler, sender=model, dispatch_uid=f"{uid}.{model.__name__}.delete")
    pre_delete.connect(_candidacy_deleting, sender=Candidacy, dispatch_uid=f"{uid}.Candidacy.pre")
    post_save.connect(_cohort_saved, sender=Cohort, dispatch_uid=f"{uid}.Cohort.save")
    post_save.connect(_person_saved, sender=Person, dispatch_uid=f"{uid}.Person.save")
    post_delete.connect(_person_deleted, sender=Person, dispatch_uid=f"{uid}.Person.delete")
    post_save.connect(_merge_saved, sender=PersonMerge, dispatch_uid=f"{uid}.PersonMerge.save")
