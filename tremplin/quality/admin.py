from django.contrib import admin

from .models import SurveyInvitation


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    # Read-only: invitations are sent and answered through the services; answers are not
    # listed here, since they must not be read next to a learner's name.
    list_display = ["enrolment", "kind", "sent_at", "answered_at"]
    list_filter = ["kind"]
    list_select_related = ["enrolment__candidacy__person", "enrolment__cohort__site"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
