from django.apps import AppConfig


class WwwConfig(AppConfig):
    name = "tremplin.www"
    verbose_name = "Site web"
