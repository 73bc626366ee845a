from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "tremplin.outcomes"
    verbose_name = "Suivi des sorties"
