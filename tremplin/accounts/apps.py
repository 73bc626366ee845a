from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tremplin.accounts"
    verbose_name = "Comptes"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .two_factor import remember_enrolment

        user_logged_in.connect(remember_enrolment, dispatch_uid="accounts.remember_enrolment")
