from django.urls import path

from . import proposals, views

urlpatterns = [
    path("mon-parcours/", views.learner_home, name="learner_home"),
    path("mon-parcours/propositions/", proposals.learner_proposals, name="learner_proposals"),
    path(
        "mon-parcours/propositions/<int:proposal_id>/signer/",
        proposals.learner_proposal_sign,
        name="learner_proposal_sign",
    ),
]
