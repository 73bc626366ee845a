"""The certification jury's results for a cohort: for each learner, the certification sat and
the blocks validated. Recorded by the site's managers from the jury's minutes; the dashboards'
« blocs validés » and « certification obtenue » read them (reports/certification.py)."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tremplin.cohorts import perms
from tremplin.cohorts.models import Cohort, Enrolment, JuryResult
from tremplin.cohorts.services import CohortError, JuryEntry, jury_record
from tremplin.programmes.models import Certification, CompetencyBlock
from tremplin.www.forms import DateInput, StyledForm
from tremplin.www.http import AuthedRequest


class JuryForm(StyledForm):
    """One date for the jury, then per learner a certification and its validated blocks."""

    decided_on = forms.DateField(label=gettext_lazy("Date du jury"), widget=DateInput())

    def __init__(self, *args: Any, cohort: Cohort, enrolments: list[Enrolment], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.enrolments = enrolments
        self.certifications = list(
            Certification.objects.filter(tracks__programme=cohort.programme)
            .distinct()
            .order_by("title", "id")
        )
        self.blocks = {
            b.pk: b
            for b in CompetencyBlock.objects.filter(certification__in=self.certifications).order_by(
                "certification__title", "position", "id"
            )
        }
        titles = {c.pk: c.title for c in self.certifications}
        cert_choices = [
            ("", _("— Pas de résultat —")),
            *((c.pk, c.title) for c in self.certifications),
        ]
        block_choices = [
            (pk, f"{titles[b.certification_id]} — {b.code} {b.title}")
            for pk, b in self.blocks.items()
        ]
        for e in enrolments:
            self.fields[f"cert-{e.pk}"] = forms.TypedChoiceField(
                label=_("Certification passée"),
                choices=cert_choices,
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[f"blocks-{e.pk}"] = forms.TypedMultipleChoiceField(
                label=_("Blocs validés"),
                choices=block_choices,
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    def learner_fields(self) -> list[tuple[Enrolment, Any, Any]]:
        return [(e, self[f"cert-{e.pk}"], self[f"blocks-{e.pk}"]) for e in self.enrolments]

    def entries(self) -> list[JuryEntry]:
        by_pk = {c.pk: c for c in self.certifications}
        return [
            JuryEntry(
                enrolment=e,
                certification=by_pk.get(self.cleaned_data[f"cert-{e.pk}"] or 0),
                blocks=frozenset(self.blocks[pk] for pk in self.cleaned_data[f"blocks-{e.pk}"]),
            )
            for e in self.enrolments
        ]


def _initial(enrolments: list[Enrolment]) -> dict[str, Any]:
    results = JuryResult.objects.filter(enrolment__in=enrolments).prefetch_related(
        "validated_blocks"
    )
    initial: dict[str, Any] = {"decided_on": timezone.localdate()}
    for r in results:
        initial["decided_on"] = r.decided_on
        initial[f"cert-{r.enrolment_id}"] = r.certification_id
        initial[f"blocks-{r.enrolment_id}"] = [b.pk for b in r.validated_blocks.all()]
    return initial


def cohort_jury(request: AuthedRequest, cohort_id: int) -> HttpResponse:
    cohort = perms.get_cohort_for_user(request.user, cohort_id)
    if not perms.can_manage_cohort(request.user, cohort):
        raise PermissionDenied
    enrolments = list(
        cohort.enrolments.select_related("candidacy__person").order_by(
            "candidacy__person__last_name", "candidacy__person__first_name", "id"
        )
    )
    form = JuryForm(
        request.POST or None, cohort=cohort, enrolments=enrolments, initial=_initial(enrolments)
    )
    if request.method == "POST" and form.is_valid():
        try:
            results = jury_record(
                by=request.user,
                cohort=cohort,
                decided_on=form.cleaned_data["decided_on"],
                entries=form.entries(),
            )
        except CohortError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Résultats du jury enregistrés : %(certified)s certification(s) obtenue(s).")
                % {"certified": sum(r.certified for r in results)},
            )
            return redirect("cohort_detail", cohort.pk)
    return render(request, "cohorts/jury.html", {"cohort": cohort, "form": form})
