"""« Situation et santé » (a person's encrypted sensitive data) and « Consentements » pages.

Reached by the person's coordinators and by the person themself (privacy.perms: 403 for the
roles that never see these data, 404 for someone else's person). Showing the sensitive data
is a read logged by the service: each GET writes one audit entry. A refused form shows the
values typed, not the stored ones, so it reads (and logs) nothing.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin.privacy import perms
from tremplin.privacy.consent_texts import current_text
from tremplin.privacy.enums import ConsentPurpose, ReadPurpose
from tremplin.privacy.models import ConsentRecord, SensitiveProfile, readable
from tremplin.privacy.services import (
    PrivacyError,
    active_consents,
    consent_give,
    consent_is_active,
    consent_withdraw,
    sensitive_profile_read,
    sensitive_profile_update,
)
from tremplin.www.forms import error_summary
from tremplin.www.http import AuthedRequest

from .forms import ConsentForm, SensitiveProfileForm, initial_from


def person_sensitive(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = perms.get_person_for_sensitive(request.user, person_id)
    can_edit = perms.can_edit_sensitive(request.user, person)
    consent_text = current_text(ConsentPurpose.SENSITIVE)
    consented = bool(active_consents(person, ConsentPurpose.SENSITIVE))
    ask_consent = "" if consented else consent_text.text
    summary = None
    form: SensitiveProfileForm | None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = SensitiveProfileForm(request.POST, consent_text=ask_consent)
        if form.is_valid():
            try:
                with transaction.atomic():
                    if not consented:
                        consent_give(
                            by=request.user, person=person, purpose=ConsentPurpose.SENSITIVE
                        )
                    sensitive_profile_update(request.user, person, **form.domain_values())
            except PrivacyError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Situation et santé enregistrées."))
                return redirect("person_sensitive", person.pk)
    else:
        own = perms.acts_for_themself(request.user, person)
        purpose = ReadPurpose.OWN_DATA if own else ReadPurpose.SUPPORT
        content = sensitive_profile_read(request.user, person, purpose)
        summary = [
            (label, ", ".join(value) if isinstance(value, list) else value)
            for label, value in readable(content).items()
        ]
        form = (
            SensitiveProfileForm(initial=initial_from(content), consent_text=ask_consent)
            if can_edit
            else None
        )
    return render(
        request,
        "privacy/person_sensitive.html",
        {
            "person": person,
            "summary": summary,
            "form": form,
            "consented": consented,
            "consent_text": consent_text,
            "profile": SensitiveProfile.objects.filter(person=person)
            .select_related("updated_by")
            .defer("ciphertext")
            .first(),
            "own": perms.acts_for_themself(request.user, person),
        },
    )


def person_consents(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = perms.get_person_for_sensitive(request.user, person_id)
    if request.method == "POST":
        form = ConsentForm(request.POST)
        if not form.is_valid():
            messages.error(
                request,
                _("Consentement non enregistré : %(errors)s") % {"errors": error_summary(form)},
            )
            return redirect("person_consents", person.pk)
        try:
            consent_give(by=request.user, person=person, purpose=form.cleaned_data["purpose"])
        except PrivacyError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Consentement enregistré."))
        return redirect("person_consents", person.pk)
    records = ConsentRecord.objects.filter(person=person).select_related("given_by", "withdrawn_by")
    purposes = [
        {
            "purpose": purpose,
            "active": consent_is_active(person, purpose),
            "text": current_text(purpose),
            # The programme's consent is given at the referral and withdrawn by an erasure.
            "changeable": purpose != ConsentPurpose.PROGRAMME,
        }
        for purpose in ConsentPurpose
    ]
    return render(
        request,
        "privacy/person_consents.html",
        {
            "person": person,
            "records": records,
            "purposes": purposes,
            "own": perms.acts_for_themself(request.user, person),
        },
    )


@require_POST
def consent_withdraw_view(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = perms.get_person_for_sensitive(request.user, person_id)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Retrait non enregistré : %(errors)s") % {"errors": error_summary(form)}
        )
        return redirect("person_consents", person.pk)
    try:
        consent_withdraw(by=request.user, person=person, purpose=form.cleaned_data["purpose"])
    except PrivacyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Consentement retiré."))
    return redirect("person_consents", person.pk)
