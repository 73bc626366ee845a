from django.apps import AppConfig


class PlannerConfig(AppConfig):
    name = "tremplin.planner"
    verbose_name = "Planification"
