"""Pages of tremplin.privacy: a person's « Situation et santé » and « Consentements »."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "personnes/<int:person_id>/situation-sante/",
        views.person_sensitive,
        name="person_sensitive",
    ),
    path(
        "personnes/<int:person_id>/consentements/",
        views.person_consents,
        name="person_consents",
    ),
    path(
        "personnes/<int:person_id>/consentements/retirer/",
        views.consent_withdraw_view,
        name="consent_withdraw",
    ),
]
