from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "tremplin.cohorts"
    verbose_name = "Promotions"
