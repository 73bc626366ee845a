from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "tremplin.reports"
    verbose_name = "Indicateurs"

    def ready(self) -> None:
        from . import facts

        facts.connect()
