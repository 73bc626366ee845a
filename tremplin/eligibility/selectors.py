"""Reads on eligibility: what a profile shows, what a diagnostic proves, whether a candidacy may
be accepted. The judging itself is ``tremplin.engine.eligibility``; this module adapts rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.candidacies.models import Candidacy
from tremplin.engine.eligibility import (
    Derived,
    Profile,
    Reason,
    Rule,
    Situation,
    Ticked,
    Verdict,
    age_on,
    derive,
    evaluate,
)
from tremplin.organisations.models import Site
from tremplin.people.models import Person
from tremplin.programmes.models import Programme

from .catalogue import current_catalogue, derivation_of, rule_of
from .enums import AuthorKind, DiagnosticStatus
from .models import Criterion, Diagnostic, DiagnosticCriterion, EligibilityRule, Proof


def reason_text(reason: Reason) -> str:
    """The reason in the request's language (same French msgids as the engine's texts)."""
    texts = {
        "expired": _("Le diagnostic a expiré le %(day)s."),
        "proof_expired": _(
            "Le justificatif du critère « %(criterion)s » n'est plus valable depuis le %(day)s."
        ),
        "proof_missing": _("Le critère « %(criterion)s » n'a pas de justificatif."),
        "criteria": _(
            "Il faut %(level1)s critère(s) de niveau 1 ou %(level2)s critère(s) de niveau 2 : "
            "%(have1)s de niveau 1 et %(have2)s de niveau 2 retenus."
        ),
        "france_travail": _("La personne doit être inscrite à France Travail."),
        "too_young": _("La personne a %(age)s ans : le parcours demande %(min_age)s ans au moins."),
        "too_old": _("La personne a %(age)s ans : le parcours est ouvert jusqu'à %(max_age)s ans."),
    }
    return texts[reason.code] % dict(reason.params)


def rule_description(rule: Rule) -> str:
    parts = [
        _("%(level1)s critère(s) de niveau 1 ou %(level2)s critère(s) de niveau 2")
        % {"level1": rule.level1_needed, "level2": rule.level2_needed}
    ]
    if rule.france_travail_required:
        parts.append(_("inscription à France Travail"))
    if rule.min_age is not None and rule.max_age is not None:
        parts.append(_("de %(min)s à %(max)s ans") % {"min": rule.min_age, "max": rule.max_age})
    elif rule.min_age is not None:
        parts.append(_("%(min)s ans ou plus") % {"min": rule.min_age})
    elif rule.max_age is not None:
        parts.append(_("%(max)s ans au plus") % {"max": rule.max_age})
    return ", ".join(parts)


def catalogue_criteria() -> list[Criterion]:
    """The criteria new diagnostics are made with (newest catalogue), level 1 first."""
    catalogue = current_catalogue()
    if catalogue is None:
        return []
    return list(catalogue.criteria.order_by("level", "position", "id"))


def profile_of(person: Person) -> Profile:
    return Profile(
        birth_date=person.birth_date,
        job_seeker_since=person.job_seeker_since,
        receives_rsa=person.receives_rsa,
        qpv_code=person.qpv_code,
        qpv_name=person.qpv_name,
        qpv_declared=person.qpv_declared,
        highest_diploma=person.highest_diploma,
        mobility=person.mobility,
    )


def derived_criteria(
    person: Person, criteria: list[Criterion], on: datetime.date | None = None
) -> dict[str, Derived]:
    derivations = [d for c in criteria if (d := derivation_of(c)) is not None]
    return derive(derivations, profile_of(person), on or timezone.localdate())


def rule_for(programme: Programme) -> Rule:
    try:
        rule: EligibilityRule | None = programme.eligibility_rule
    except EligibilityRule.DoesNotExist:
        rule = None
    return rule_of(rule)


def with_details(qs: QuerySet[Diagnostic]) -> QuerySet[Diagnostic]:
    """Diagnostics with their ticked criteria and proofs, in three queries whatever the count."""
    return qs.prefetch_related(
        Prefetch(
            "criteria",
            queryset=DiagnosticCriterion.objects.select_related("criterion").prefetch_related(
                Prefetch("proofs", queryset=Proof.objects.order_by("uploaded_at", "id"))
            ),
        )
    )


def situation_of(diagnostic: Diagnostic, *, age: int | None) -> Situation:
    ticked = tuple(
        Ticked(
            code=item.criterion.code,
            label=item.criterion.label,
            level=int(item.criterion.level),
            proof_required=item.proof_required,
            proofs_valid_until=tuple(p.valid_until for p in item.proofs.all()),
        )
        for item in diagnostic.criteria.all()
    )
    return Situation(
        ticked=ticked,
        age=age,
        registered_with_france_travail=diagnostic.registered_with_france_travail,
        valid_until=diagnostic.valid_until,
    )


def counts_for_site(diagnostic: Diagnostic, site: Site) -> bool:
    """A habilitated prescriber's counts everywhere; the coordinator's or a confirmed one, at its
    site only; one waiting for confirmation, or refused, nowhere."""
    if diagnostic.status == DiagnosticStatus.AUTHORITATIVE:
        return (
            diagnostic.author_kind == AuthorKind.HABILITATED_PRESCRIBER
            or diagnostic.site_id == site.pk
        )
    return diagnostic.status == DiagnosticStatus.CONFIRMED and diagnostic.site_id == site.pk


@dataclass
class EligibilityCheck:
    """Whether a candidacy may be accepted on its person's diagnostics, and why not."""

    rule: Rule
    diagnostic: Diagnostic | None
    verdict: Verdict | None
    reasons: list[str] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return self.verdict is not None and self.verdict.eligible


def eligibility_of(candidacy: Candidacy, on: datetime.date | None = None) -> EligibilityCheck:
    """Judge ``candidacy`` against its programme's rule on day ``on`` (default today).

    Age is taken at the cohort's start: what matters is the age on entering training. Every
    diagnostic of the person that counts for the cohort's site is tried, newest first; the
    first that meets the rule wins, otherwise the newest explains why not.
    """
    on = on or timezone.localdate()
    cohort = candidacy.cohort
    rule = rule_for(cohort.programme)
    age = age_on(candidacy.person.birth_date, cohort.start_date)
    diagnostics = list(with_details(Diagnostic.objects.filter(person_id=candidacy.person_id)))
    counting = [d for d in diagnostics if counts_for_site(d, cohort.site)]
    for diagnostic in counting:
        verdict = evaluate(rule, situation_of(diagnostic, age=age), on)
        if verdict.eligible:
            return EligibilityCheck(rule, diagnostic, verdict)
    if counting:
        newest = counting[0]
        verdict = evaluate(rule, situation_of(newest, age=age), on)
        return EligibilityCheck(rule, newest, verdict, [reason_text(r) for r in verdict.reasons])
    return EligibilityCheck(rule, None, None, [_no_diagnostic_reason(diagnostics, cohort.site)])


def _no_diagnostic_reason(diagnostics: list[Diagnostic], site: Site) -> str:
    for diagnostic in diagnostics:
        values = {
            "organisation": diagnostic.author_organisation or diagnostic.author,
            "day": f"{diagnostic.made_at:%d/%m/%Y}",
        }
        if diagnostic.status == DiagnosticStatus.TO_CONFIRM and diagnostic.site_id == site.pk:
            return (
                _(
                    "Le diagnostic de %(organisation)s du %(day)s attend la confirmation du "
                    "coordinateur du site."
                )
                % values
            )
        if diagnostic.status == DiagnosticStatus.REJECTED and diagnostic.site_id == site.pk:
            return _("Le diagnostic de %(organisation)s du %(day)s a été refusé.") % values
    return _("Aucun diagnostic d'éligibilité valable sur ce site pour cette personne.")
