from django.urls import path

from . import views

urlpatterns = [path("mon-parcours/", views.learner_home, name="learner_home")]
