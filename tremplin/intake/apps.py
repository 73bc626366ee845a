from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "tremplin.intake"
    label = "intake"
    verbose_name = _("Orientations en masse")

    def ready(self) -> None:
        from tremplin.core.reaper import task_lost

        from .services import fail_batch_of_lost_task

        task_lost.connect(fail_batch_of_lost_task, dispatch_uid="intake:lost-import")
