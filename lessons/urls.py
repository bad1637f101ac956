from django.urls import path

from . import views

urlpatterns = [
    path("training/", views.my_training, name="my_training"),
    path("search/", views.search, name="search"),
]
