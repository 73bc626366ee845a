"""Eligibility pages: criteria and rules, diagnostics (make, read, confirm), proof downloads."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin.accounts.enums import Role
from tremplin.accounts.roles import manages_site
from tremplin.candidacies.models import Candidacy
from tremplin.candidacies.perms import get_candidacy_for_user
from tremplin.core.workflow import TransitionNotAllowed
from tremplin.eligibility import perms
from tremplin.eligibility.catalogue import current_catalogue
from tremplin.eligibility.enums import DerivedFact, ProofType
from tremplin.eligibility.models import Acceptance, Diagnostic
from tremplin.eligibility.proofs import EXTENSIONS
from tremplin.eligibility.selectors import (
    catalogue_criteria,
    counts_for_site,
    derived_criteria,
    eligibility_of,
    reason_text,
    rule_description,
    rule_for,
    situation_of,
    with_details,
)
from tremplin.eligibility.services import DiagnosticError, diagnostic_create, diagnostic_decide
from tremplin.eligibility.workflow import diagnostic_workflow
from tremplin.engine.eligibility import age_on, evaluate
from tremplin.people.enums import Diploma, Mobility
from tremplin.programmes.models import Programme
from tremplin.www.forms import error_summary
from tremplin.www.http import AuthedRequest

from .forms import DiagnosticDecisionForm, DiagnosticForm, FieldSubset


def derived_text(fact: str, value: str, declarative: bool) -> str:
    """What the profile said about a criterion, for people: « 41 ans », « déclaratif »..."""
    if fact == DerivedFact.AGE:
        text = _("%(age)s ans (date de naissance)") % {"age": value}
    elif fact == DerivedFact.UNEMPLOYED_MONTHS:
        text = _("inscrit·e à France Travail depuis %(months)s mois") % {"months": value}
    elif fact == DerivedFact.QPV:
        text = (
            _("quartier « %(name)s » (adresse géocodée)") % {"name": value}
            if value
            else _("quartier prioritaire déclaré")
        )
    elif fact == DerivedFact.RSA:
        text = _("RSA indiqué au dossier")
    elif fact == DerivedFact.DIPLOMA:
        text = str(dict(Diploma.choices).get(value, value))
    elif fact == DerivedFact.MOBILITY:
        text = str(dict(Mobility.choices).get(value, value))
    else:
        text = value
    return f"{text} — {_('déclaratif')}" if declarative else text


def eligibility_rules(request: AuthedRequest) -> HttpResponse:
    if request.user.role not in perms.PROFESSIONALS:
        raise PermissionDenied
    programmes = Programme.objects.select_related("eligibility_rule").order_by("name", "id")
    return render(
        request,
        "eligibility/rules.html",
        {
            "catalogue": current_catalogue(),
            "criteria": catalogue_criteria(),
            "programmes": [
                {"programme": p, "rule": rule_description(rule_for(p))} for p in programmes
            ],
        },
    )


def diagnostic_create_view(request: AuthedRequest, candidacy_id: int) -> HttpResponse:
    candidacy = get_candidacy_for_user(request.user, candidacy_id)
    if not perms.can_make_diagnostic(request.user, candidacy):
        raise PermissionDenied
    criteria = catalogue_criteria()
    person = candidacy.person
    derived = derived_criteria(person, criteria)
    form = DiagnosticForm(
        request.POST or None,
        request.FILES or None,
        criteria=criteria,
        ticked=set(derived),
        initial={"registered_with_france_travail": person.job_seeker_since is not None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            diagnostic_create(
                candidacy=candidacy,
                by=request.user,
                criteria=form.ticked(),
                proofs=form.uploads,
                registered_with_france_travail=form.cleaned_data["registered_with_france_travail"],
                notes=form.cleaned_data["notes"],
            )
        except DiagnosticError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                _("Diagnostic d'éligibilité de %(name)s enregistré.") % {"name": person.full_name},
            )
            return redirect("candidacy_detail", candidacy.pk)
    rows: list[dict[str, Any]] = [
        {
            "criterion": c,
            "derived": derived_text(found.fact, found.value, found.declarative)
            if (found := derived.get(c.code))
            else "",
            "proof_optional": bool(found and found.stands_as_proof),
            "check": form[f"c_{c.code}"],
            "proof": form[f"proof_{c.code}"],
            "issued": form[f"issued_{c.code}"],
        }
        for c in criteria
    ]
    return render(
        request,
        "eligibility/diagnostic_form.html",
        {
            "candidacy": candidacy,
            "person": person,
            "form": form,
            "general": FieldSubset(form, ["registered_with_france_travail", "notes"]),
            "levels": [
                (_("Critères de niveau 1"), [r for r in rows if r["criterion"].level == "1"]),
                (_("Critères de niveau 2"), [r for r in rows if r["criterion"].level == "2"]),
            ],
            "rule": rule_description(rule_for(candidacy.cohort.programme)),
        },
    )


def diagnostic_detail(request: AuthedRequest, diagnostic_id: int) -> HttpResponse:
    diagnostic: Diagnostic = perms.get_diagnostic_for_user(request.user, diagnostic_id)
    diagnostic = with_details(Diagnostic.objects.filter(pk=diagnostic.pk)).select_related(
        "person", "author", "author_organisation", "site", "candidacy__cohort__programme"
    )[0]
    downloadable = set(
        perms.proofs_for_user(request.user)
        .filter(diagnostic_criterion__diagnostic=diagnostic)
        .values_list("pk", flat=True)
    )
    items: list[dict[str, Any]] = [
        {
            "item": item,
            "derived": derived_text(
                item.criterion.derived_fact, item.derived_value, item.declarative
            )
            if item.derived
            else "",
            "proofs": [
                {"proof": p, "downloadable": p.pk in downloadable} for p in item.proofs.all()
            ],
        }
        for item in diagnostic.criteria.all()
    ]
    cohort = diagnostic.candidacy.cohort
    rule = rule_for(cohort.programme)
    age = age_on(diagnostic.person.birth_date, cohort.start_date)
    verdict = evaluate(rule, situation_of(diagnostic, age=age), timezone.localdate())
    can_decide = perms.can_decide_diagnostic(request.user, diagnostic)
    return render(
        request,
        "eligibility/diagnostic_detail.html",
        {
            "diagnostic": diagnostic,
            "items": items,
            "today": timezone.localdate(),
            "rule": rule_description(rule),
            "counts_here": counts_for_site(diagnostic, cohort.site),
            "verdict": verdict,
            "reasons": [reason_text(r) for r in verdict.reasons],
            "history": diagnostic_workflow.history(diagnostic),
            "transitions": [
                {"transition": t, "reasons": diagnostic_workflow.reasons_for(t.name)}
                for t in diagnostic_workflow.available(diagnostic.status)
            ]
            if can_decide
            else [],
        },
    )


@require_POST
def diagnostic_decide_view(request: AuthedRequest, diagnostic_id: int) -> HttpResponse:
    diagnostic = perms.get_diagnostic_for_user(request.user, diagnostic_id)
    if not perms.can_decide_diagnostic(request.user, diagnostic):
        # Only the site's staff confirm; to them, a diagnostic that needs no confirmation
        # (a habilitated prescriber's, or one already decided) says so on its page.
        if manages_site(request.user, diagnostic.candidacy.cohort.site):
            messages.error(request, _("Ce diagnostic n'attend pas de confirmation."))
            return redirect("diagnostic_detail", diagnostic.pk)
        raise PermissionDenied
    form = DiagnosticDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_summary(form) or _("Décision incomplète."))
        return redirect("diagnostic_detail", diagnostic.pk)
    try:
        diagnostic_decide(
            diagnostic=diagnostic,
            transition=form.cleaned_data["transition"],
            by=request.user,
            reason=form.cleaned_data["reason"],
            comment=form.cleaned_data["comment"],
        )
    except (DiagnosticError, TransitionNotAllowed) as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Diagnostic : %(status)s.") % {"status": diagnostic.get_status_display()}
        )
    return redirect("diagnostic_detail", diagnostic.pk)


def proof_download(request: AuthedRequest, proof_id: int) -> HttpResponse:
    proof = perms.get_proof_for_user(request.user, proof_id)
    try:
        # Five megabytes at most: read whole, so the file is closed before the answer leaves.
        with proof.file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        raise Http404 from None
    code = proof.diagnostic_criterion.criterion.code
    extension = EXTENSIONS.get(ProofType(proof.content_type), "bin")
    response = HttpResponse(content, content_type=proof.content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, f"justificatif-{code}-{proof.pk}.{extension}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def candidacy_eligibility(user: Any, candidacy: Candidacy) -> dict[str, Any]:
    """The eligibility part of a candidacy's page (``eligibility/candidacy_section.html``).

    Professionals get the verdict against the programme's rule, the person's diagnostics they
    may open and what the acceptance rested on; a learner gets their own diagnostics' summary.
    """
    rule = rule_for(candidacy.cohort.programme)
    if user.role == Role.LEARNER:
        return {
            "learner": True,
            "rule": rule_description(rule),
            "check": None,
            "eligible": False,
            "acceptance": None,
            "can_make": False,
            "diagnostics": list(with_details(perms.learner_diagnostics(user, candidacy))),
        }
    check = eligibility_of(candidacy)
    return {
        "learner": False,
        "rule": rule_description(rule),
        "check": check,
        "eligible": check.eligible,
        "acceptance": Acceptance.objects.filter(candidacy=candidacy)
        .select_related("decided_by", "diagnostic__author_organisation", "diagnostic__author")
        .first(),
        "can_make": perms.can_make_diagnostic(user, candidacy),
        "diagnostics": list(perms.diagnostics_for_user(user).filter(person_id=candidacy.person_id)),
    }
