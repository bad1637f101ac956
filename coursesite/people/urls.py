from django.urls import path

from . import views

urlpatterns = [
    path("cohorts/", views.my_cohorts, name="my_cohorts"),
    path("cohorts/new/", views.cohort_create, name="cohort_create"),
    path("cohorts/<int:cohort_id>/", views.cohort_detail, name="cohort_detail"),
    path("cohorts/<int:cohort_id>/edit/", views.cohort_edit, name="cohort_edit"),
    path("cohorts/<int:cohort_id>/rotate-key/", views.cohort_rotate_key, name="cohort_rotate_key"),
    path("cohorts/<int:cohort_id>/invite/", views.cohort_invite, name="cohort_invite"),
    path("cohorts/<int:cohort_id>/assignments/", views.cohort_assignment_set, name="cohort_assignment_set"),
    path("join/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
