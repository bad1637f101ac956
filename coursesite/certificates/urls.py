from django.urls import path

from . import views

urlpatterns = [
    path("certificates/", views.my_certificates, name="my_certificates"),
    path("certificates/transcript.pdf", views.my_transcript, name="my_transcript"),
    path("certificates/<int:certificate_id>/download/", views.certificate_download, name="certificate_download"),
    path("certificates/<int:certificate_id>/badge/", views.certificate_badge, name="certificate_badge"),
    path("certificates/issuer/", views.badge_issuer, name="badge_issuer"),
    path("cohorts/<int:cohort_id>/certificates/", views.cohort_certificates, name="cohort_certificates"),
    path("cohorts/<int:cohort_id>/certificates/zip/", views.cohort_certificates_zip, name="cohort_certificates_zip"),
    path(
        "cohorts/<int:cohort_id>/certificates/<int:certificate_id>/revoke/",
        views.certificate_revoke,
        name="certificate_revoke",
    ),
    path(
        "cohorts/<int:cohort_id>/certificates/<int:certificate_id>/reissue/",
        views.certificate_reissue,
        name="certificate_reissue",
    ),
    path("cohorts/<int:cohort_id>/certificates/sign-off/", views.certificate_sign_off, name="certificate_sign_off"),
    path(
        "cohorts/<int:cohort_id>/certificates/exception/",
        views.certificate_rule_exception,
        name="certificate_rule_exception",
    ),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.certificate_verify, name="certificate_verify"),
]
