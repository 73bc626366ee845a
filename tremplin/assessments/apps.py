from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "tremplin.assessments"
    verbose_name = "Évaluations"
