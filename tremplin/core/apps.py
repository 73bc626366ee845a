from django.apps import AppConfig, apps
from django.db.models.signals import post_init


class CoreConfig(AppConfig):
    name = "tremplin.core"
    verbose_name = "Noyau"

    def ready(self) -> None:
        from .audit_changes import audited, remember

        # Per model rather than for every model: Django's own and third-party instances
        # do not pay for a snapshot they never need.
        for model in apps.get_models():
            if audited(model):
                post_init.connect(remember, sender=model, dispatch_uid=f"audit:{model._meta.label}")
