"""The rules of a follow-up answer, once existing rows were brought into line (0003)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0003_follow_up_history_backfill")]

    operations = [
        migrations.AddIndex(
            model_name='followup',
            index=models.Index(fields=['enrolment', 'milestone', 'recorded_on'], name='follow_up_current'),
        ),
        migrations.AddConstraint(
            model_name='followup',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('source', 'learner'), ('recorded_by__isnull', True), ('request__isnull', False)), models.Q(('source', 'coordinator'), ('recorded_by__isnull', False), ('request__isnull', True)), _connector='OR'), name='follow_up_source_consistent'),
        ),
        migrations.AddConstraint(
            model_name='followup',
            constraint=models.CheckConstraint(condition=models.Q(('weekly_hours__isnull', True), models.Q(('weekly_hours__gte', 1), ('weekly_hours__lte', 48)), _connector='OR'), name='follow_up_weekly_hours_range'),
        ),
        migrations.AddConstraint(
            model_name='followup',
            constraint=models.CheckConstraint(condition=models.Q(('situation__in', ['apprenticeship', 'cdd_long', 'cdd_short', 'cdi', 'interim']), models.Q(('employer_name', ''), ('wage_band', ''), ('weekly_hours__isnull', True)), _connector='OR'), name='follow_up_work_details_only_when_employed'),
        ),
        migrations.AddConstraint(
            model_name='followuprequest',
            constraint=models.UniqueConstraint(fields=('enrolment', 'milestone'), name='follow_up_request_once_per_milestone'),
        ),
        migrations.AddConstraint(
            model_name='followuprequest',
            constraint=models.CheckConstraint(condition=models.Q(('milestone__in', ['exit', 'm3', 'm6', 'm12'])), name='follow_up_request_milestone_known'),
        ),
    ]
