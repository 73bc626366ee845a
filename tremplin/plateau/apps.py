from django.apps import AppConfig


class PlateauConfig(AppConfig):
    name = "tremplin.plateau"
    verbose_name = "Plateau technique"
