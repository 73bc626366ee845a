from django.urls import path

from . import ft_import, views

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
    path("propositions/", views.proposal_list, name="proposal_list"),
    path("propositions/<int:proposal_id>/", views.proposal_detail, name="proposal_detail"),
    path("propositions/<int:proposal_id>/decision/", views.proposal_decide, name="proposal_decide"),
]
