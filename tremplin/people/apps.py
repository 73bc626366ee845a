from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "tremplin.people"
    verbose_name = "Personnes"
