from django.urls import path

from . import ft_import, pipeline, placement, rankings, views

urlpatterns = [
    path("offres/", views.opening_list, name="opening_list"),
    path("offres/nouvelle/", views.opening_create_view, name="opening_create"),
    path("offres/import-france-travail/", ft_import.opening_import, name="opening_import"),
    path(
        "offres/import-france-travail/confirmer/",
        ft_import.opening_import_confirm,
        name="opening_import_confirm",
    ),
    path("offres/<int:opening_id>/", views.opening_detail, name="opening_detail"),
    path("offres/<int:opening_id>/proposer/", views.opening_propose, name="opening_propose"),
    path("offres/<int:opening_id>/fermer/", pipeline.opening_close_view, name="opening_close"),
    path("offres/<int:opening_id>/rouvrir/", pipeline.opening_reopen_view, name="opening_reopen"),
    path(
        "inscriptions/<int:enrolment_id>/offres/",
        rankings.enrolment_openings,
        name="enrolment_openings",
    ),
    path("propositions/", views.proposal_list, name="proposal_list"),
    path("propositions/<int:proposal_id>/", views.proposal_detail, name="proposal_detail"),
    path("propositions/<int:proposal_id>/decision/", views.proposal_decide, name="proposal_decide"),
    path("promotions/<int:cohort_id>/placement/", placement.match_start_view, name="match_start"),
    path("placements/<int:run_id>/", placement.match_run, name="match_run"),
    path(
        "placements/<int:run_id>/proposer/",
        placement.match_propose_view,
        name="match_propose",
    ),
    path(
        "propositions/<int:proposal_id>/convention/signer/",
        pipeline.proposal_sign,
        name="proposal_sign",
    ),
]
