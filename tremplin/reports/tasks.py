"""Background tasks of the reports context: the per-cohort indicators export."""

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

from .selectors import site_funnel_facts


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
