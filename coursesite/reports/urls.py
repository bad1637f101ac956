from django.urls import path

from . import views

urlpatterns = [
    path("cohorts/<int:cohort_id>/matrix/", views.cohort_matrix, name="cohort_matrix"),
    path("cohorts/<int:cohort_id>/matrix.csv", views.cohort_matrix_csv, name="cohort_matrix_csv"),
    path("cohorts/<int:cohort_id>/exports/", views.cohort_matrix_xlsx, name="cohort_matrix_xlsx"),
    path("cohorts/<int:cohort_id>/exports/<int:export_id>/", views.spreadsheet_export, name="spreadsheet_export"),
    path(
        "cohorts/<int:cohort_id>/exports/<int:export_id>/download/",
        views.spreadsheet_export_download,
        name="spreadsheet_export_download",
    ),
    path("cohorts/<int:cohort_id>/trainees/<int:user_id>/", views.trainee_record, name="trainee_record"),
    path(
        "cohorts/<int:cohort_id>/trainees/<int:user_id>/comments/",
        views.trainee_comment_add,
        name="trainee_comment_add",
    ),
    path(
        "cohorts/<int:cohort_id>/trainees/<int:user_id>/accommodations/",
        views.trainee_accommodation_grant,
        name="trainee_accommodation_grant",
    ),
    path(
        "cohorts/<int:cohort_id>/trainees/<int:user_id>/due-date/",
        views.trainee_due_date_override,
        name="trainee_due_date_override",
    ),
    path("cohorts/<int:cohort_id>/trainees/<int:user_id>/nudge/", views.trainee_nudge, name="trainee_nudge"),
    path(
        "cohorts/<int:cohort_id>/trainees/<int:user_id>/training-record.pdf",
        views.trainee_record_pdf,
        name="trainee_record_pdf",
    ),
    path("audit/", views.audit_review, name="audit_review"),
    path("cohorts/summary/", views.organisation_summary, name="organisation_summary"),
]
