from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "tremplin.employers"
    verbose_name = "Employeurs"

    def ready(self) -> None:
        # A positive MATCHING_SEMANTIC_WEIGHT without the ``semantic`` extra is reported at
        # start-up rather than on the first ranking page.
        from django.core import checks

        from .semantic_matching import check_semantic_setting

        checks.register(check_semantic_setting)
