"""Background tasks of the reports context: the per-cohort indicators export, the PDF funder
report, the nightly rollup of the indicators' facts."""

import datetime
import io

from django.conf import settings
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tremplin.core.models import TaskProgress
from tremplin.core.progress import progress_fail, progress_finish, progress_update
from tremplin.core.spreadsheets import SafeCsvWriter
from tremplin.engine.indicators import STAGES, funnels
from tremplin.organisations.models import Site

from .pdf import ReportError, build_report, report_pdf, report_scope
from .rollup import build_rollup
from .selectors import site_funnel_facts


@task()
def build_facts_rollup_task() -> None:
    build_rollup()


@task()
def export_site_indicators(progress_id: int, site_id: int) -> None:
    # The worker has no request, hence no language of its own: the CSV and the progress
    # messages are written in the site's default language (French), whoever asked for them.
    # The strings are marked all the same, for the day users have a language preference.
    with translation.override(settings.LANGUAGE_CODE):
        _export_site_indicators(progress_id, site_id)


def _export_site_indicators(progress_id: int, site_id: int) -> None:
    progress = TaskProgress.objects.get(pk=progress_id)
    try:
        site = Site.objects.get(pk=site_id)
        facts = site_funnel_facts(site)
        cohorts = list(dict.fromkeys(f.group for f in facts))
        progress_update(
            progress, done=0, total=len(cohorts) + 1, message=_("Calcul des indicateurs")
        )
        buffer = io.StringIO()
        # Cohort names are typed by people: a name starting with « = » must stay text.
        writer = SafeCsvWriter(buffer, delimiter=";")
        # The stage labels are in the catalogue through www.reports.views.FUNNEL_STAGE_LABELS.
        writer.writerow([_("promotion"), *(_(label) for _key, label in STAGES)])
        for done, cohort in enumerate(cohorts, start=1):
            (funnel,), _total = funnels([f for f in facts if f.group == cohort], total_label=cohort)
            writer.writerow([cohort, *(stage.count for stage in funnel.stages)])
            progress_update(
                progress,
                done=done,
                total=len(cohorts) + 1,
                message=_("Promotion %(cohort)s") % {"cohort": cohort},
            )
        _groups, total = funnels(facts, total_label=_("Total du site"))
        writer.writerow([total.group, *(stage.count for stage in total.stages)])
        progress_finish(
            progress,
            result_name=f"indicateurs-{site.pk}.csv",
            result_content=buffer.getvalue(),
            message=ngettext(
                "%(count)d promotion exportée", "%(count)d promotions exportées", len(cohorts)
            )
            % {"count": len(cohorts)},
        )
    except Exception as error:  # the page must show the failure rather than spin forever
        progress_fail(progress, _("Échec de l'export : %(error)s") % {"error": error})
        raise


@task()
def funder_report(
    progress_id: int, site_id: int, cohort_id: int | None, start: str | None, end: str | None
) -> None:
    """The PDF funder report (reports.pdf) of ``site`` for a cohort or a period (ISO dates),
    for the user who asked: their scope and small-cell rule are read again from their account,
    so a funding removed since the request is not reported on."""
    with translation.override(settings.LANGUAGE_CODE):
        _funder_report(progress_id, site_id, cohort_id, start, end)


def _funder_report(
    progress_id: int, site_id: int, cohort_id: int | None, start: str | None, end: str | None
) -> None:
    progress = TaskProgress.objects.select_related("owner").get(pk=progress_id)
    total = 3
    try:
        progress_update(progress, done=0, total=total, message=_("Calcul des indicateurs"))
        site = Site.objects.select_related("network").get(pk=site_id)
        scope = report_scope(
            user=progress.owner,
            site=site,
            cohort_id=cohort_id,
            start=datetime.date.fromisoformat(start) if start else None,
            end=datetime.date.fromisoformat(end) if end else None,
        )
        report = build_report(user=progress.owner, site=site, scope=scope)
        progress_update(progress, done=1, total=total, message=_("Mise en page du rapport"))
        content = report_pdf(
            report,
            step=lambda message: progress_update(progress, done=2, total=total, message=message),
        )
        progress_finish(
            progress,
            result_name=report.file_name,
            result_content=content,
            message=_("Rapport prêt"),
        )
    except ReportError as error:
        progress_fail(progress, error.message)
    except Exception as error:  # the page must show the failure rather than spin forever
        progress_fail(progress, _("Échec du rapport : %(error)s") % {"error": error})
        raise
