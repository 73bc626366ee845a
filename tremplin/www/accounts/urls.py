from django.contrib.auth import views as auth_views
from django.urls import path

from . import two_factor, views

urlpatterns = [
    path("", views.home, name="home"),
    path("mon-compte/", views.account_preferences, name="account_preferences"),
    path(
        "connexion/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("connexion/code/", two_factor.two_factor_verify, name="two_factor_verify"),
    path(
        "mon-compte/double-authentification/",
        two_factor.two_factor_setup,
        name="two_factor_setup",
    ),
    path(
        "mon-compte/double-authentification/desactiver/",
        two_factor.two_factor_disable,
        name="two_factor_disable",
    ),
    path(
        "reseau/double-authentification/",
        two_factor.two_factor_accounts,
        name="two_factor_accounts",
    ),
    path(
        "reseau/double-authentification/<int:user_id>/reinitialiser/",
        two_factor.two_factor_reset,
        name="two_factor_reset",
    ),
    path("mot-de-passe/oubli/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe/oubli/envoye/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/modifie/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
