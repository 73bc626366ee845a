"""``LearnerFacts``: one row per candidacy with everything the impact indicators read, so the
dashboards count with a few aggregate queries instead of reading every person (issue 7).

Derived data, never edited by hand: ``facts.refresh_learner_facts`` rewrites the rows of the
candidacies a write touches, in the same transaction (model signals, facts.py), and
``manage.py rebuild_learner_facts`` rebuilds the table after a bulk load. Nothing here depends
on the day: milestone due dates are stored and compared with the day of the query.
Definitions: docs/indicators.md.
"""

from django.db import models


class FactColumns(models.Model):
    """The columns of a candidacy's facts, shared by the live rows and their retracted copies."""

    # The cohort's, copied: filters (period, programme) and grouping by site read one table.
    site = models.ForeignKey(
        "organisations.Site", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    cohort = models.ForeignKey(
        "cohorts.Cohort", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    cohort_start = models.DateField()
    # Not a foreign key: a merge moves the candidacy before the facts follow.
    person_id = models.BigIntegerField()
    candidacy_status = models.CharField(max_length=20)
    # The enrolment, if any ("" and None without): status, reason of an early end, exit day.
    enrolment_id = models.BigIntegerField(null=True)
    enrolment_status = models.CharField(max_length=20, blank=True)
    end_reason = models.CharField(max_length=30, blank=True)
    ended_on = models.DateField(null=True)
    # Each milestone's due date (exit + 0, 3, 6, 12 months, engine.add_months) and its current
    # situation (the latest answer; "" with none): due dates are compared at query time.
    due_exit = models.DateField(null=True)
    due_m3 = models.DateField(null=True)
    due_m6 = models.DateField(null=True)
    due_m12 = models.DateField(null=True)
    situation_exit = models.CharField(max_length=20, blank=True)
    situation_m3 = models.CharField(max_length=20, blank=True)
    situation_m6 = models.CharField(max_length=20, blank=True)
    situation_m12 = models.CharField(max_length=20, blank=True)
    # Time to first job (Kaplan–Meier): days from exit to the first job, or to the last day
    # known without one (``hired`` False: censored); None before exit.
    job_days = models.IntegerField(null=True)
    hired = models.BooleanField(default=False)
    # The public served: the age band on the first day of the cohort ("" when not an entrant:
    # no enrolment, or born after that day), and the person's attributes.
    age_band = models.CharField(max_length=10, blank=True)
    # The person entered more than one cohort of this site: counted once (the earliest entry
    # kept by the filters), which only these rows need a window for.
    repeat_entrant = models.BooleanField(default=False)
    in_qpv = models.BooleanField(default=False)
    receives_rsa = models.BooleanField(default=False)
    woman = models.BooleanField(null=True)
    diploma = models.CharField(max_length=10, blank=True)
    # End-of-training survey: invited, and the respondent's score (mean of their scale
    # answers, rounded half up; None without an answer).
    surveyed = models.BooleanField(default=False)
    satisfaction = models.PositiveSmallIntegerField(null=True)

    class Meta:
        abstract = True


class LearnerFacts(FactColumns):
    candidacy = models.OneToOneField(
        "candidacies.Candidacy",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="learner_facts",
    )

    class Meta:
        verbose_name = "faits d'un apprenant"
        indexes = [
            models.Index(fields=["site", "cohort_start"], name="learnerfacts_site_start"),
            models.Index(fields=["cohort"], name="learnerfacts_cohort"),
            models.Index(fields=["person_id"], name="learnerfacts_person"),
            models.Index(fields=["enrolment_id"], name="learnerfacts_enrolment"),
            # The rows whose milestones were not all due when the rollup was built (rollup.py).
            models.Index(fields=["ended_on"], name="learnerfacts_ended_on"),
            models.Index(
                fields=["site", "person_id", "cohort_start", "enrolment_id"],
                name="learnerfacts_repeat",
                condition=models.Q(repeat_entrant=True),
            ),
        ]

    def __str__(self) -> str:
        return f"faits de la candidature {self.candidacy_id}"


# --- The rollup (reports/rollup.py): settled counts per site, built daily -----------------------


class FactsRollupState(models.Model):
    """The day the rollup was built (one row; none, or ``built_on`` empty: no rollup)."""

    built_on = models.DateField(null=True)
    built_at = models.DateTimeField(null=True)
    rows = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "état du cumul des faits"

    def __str__(self) -> str:
        return f"cumul du {self.built_on}"


class FactsRollup(models.Model):
    """One site's counts of one kind (rollup.STORED_KINDS) over the rows settled on the build
    day, as JSON: ``[[*key, n], ...]``."""

    site_id = models.BigIntegerField()
    kind = models.CharField(max_length=20)
    counts = models.TextField()

    class Meta:
        verbose_name = "cumul des faits d'un site"
        constraints = [
            models.UniqueConstraint(fields=["site_id", "kind"], name="factsrollup_site_kind")
        ]

    def __str__(self) -> str:
        return f"cumul {self.kind} du site {self.site_id}"


class FactsChanged(models.Model):
    """A candidacy whose facts were rewritten since the rollup was built: read live."""

    candidacy_id = models.BigIntegerField(primary_key=True)

    class Meta:
        verbose_name = "faits modifiés depuis le cumul"

    def __str__(self) -> str:
        return f"candidature {self.candidacy_id} modifiée"


class RetractedFacts(FactColumns):
    """The facts of a candidacy as the rollup counted them, before they were rewritten:
    subtracted from the rollup until the next build."""

    candidacy_id = models.BigIntegerField()

    class Meta:
        verbose_name = "faits retirés du cumul"

    def __str__(self) -> str:
        return f"faits retirés de la candidature {self.candidacy_id}"
