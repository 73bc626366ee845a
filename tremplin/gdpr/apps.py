from django.apps import AppConfig


class GdprConfig(AppConfig):
    name = "tremplin.gdpr"
    verbose_name = "Droits des personnes et conservation"
