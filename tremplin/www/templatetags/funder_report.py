"""The funder report's request form on a site's dashboard (www/reports/funder_report.py):
a tag, so the dashboard view needs no change to offer it."""

from django import template

from tremplin.organisations.models import Site
from tremplin.www.reports.funder_report import FunderReportForm

register = template.Library()


@register.simple_tag(takes_context=True)
def funder_report_form(context: template.Context, site: Site) -> FunderReportForm | None:
    """The empty form for the viewer, or None when none of the site's cohorts is theirs."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return None
    form = FunderReportForm(user=user, site=site)
    if not form.fields["cohort"].queryset.exists():  # type: ignore[attr-defined]
        return None
    return form
