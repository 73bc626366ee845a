from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "tremplin.quality"
    verbose_name = "Qualité"
