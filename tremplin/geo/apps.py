from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "tremplin.geo"
    verbose_name = "Géographie"
