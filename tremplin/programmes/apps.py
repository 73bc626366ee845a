from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "tremplin.programmes"
    verbose_name = "Parcours et compétences"
