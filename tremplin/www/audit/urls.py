from django.urls import path

from . import views

urlpatterns = [
    path("reseau/journal/", views.audit_journal_view, name="audit_journal"),
]
