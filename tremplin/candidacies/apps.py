from django.apps import AppConfig


class CandidaciesConfig(AppConfig):
    name = "tremplin.candidacies"
    verbose_name = "Candidatures"
