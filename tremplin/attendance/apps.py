from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "tremplin.attendance"
    verbose_name = "Émargement"
