from django.urls import path

from . import (
    accounts_views,
    billing_views,
    break_glass_views,
    calendar_views,
    call_views,
    claims_views,
    incident_views,
    records_views,
    registration_views,
    views,
)

urlpatterns = [
    path("office/shifts/<int:shift_id>/", views.office_home, name="office_home"),
    path("office/shifts/<int:shift_id>/calendar/", views.office_calendar, name="office_calendar"),
    path("office/shifts/<int:shift_id>/calendar/week/", views.office_week, name="office_week"),
    path("office/shifts/<int:shift_id>/book/", views.office_book, name="office_book"),
    path(
        "office/shifts/<int:shift_id>/appointments/<int:appointment_id>/",
        views.office_appointment,
        name="office_appointment",
    ),
    path("office/shifts/<int:shift_id>/patients/", views.office_patients, name="office_patients"),
    path("office/shifts/<int:shift_id>/patients/new/", registration_views.office_register, name="office_register"),
    path("office/shifts/<int:shift_id>/patients/<int:patient_id>/", views.office_chart, name="office_chart"),
    path(
        "office/shifts/<int:shift_id>/appointments/<int:appointment_id>/charges/",
        billing_views.office_charges,
        name="office_charges",
    ),
    path("office/shifts/<int:shift_id>/claims/<int:claim_id>/", billing_views.office_claim, name="office_claim"),
    path(
        "office/shifts/<int:shift_id>/claims/<int:claim_id>/remittance/",
        billing_views.office_remittance,
        name="office_remittance",
    ),
    path(
        "office/shifts/<int:shift_id>/patients/<int:patient_id>/ledger/",
        billing_views.office_ledger,
        name="office_ledger",
    ),
    path("office/shifts/<int:shift_id>/submit/", views.office_submit, name="office_submit"),
    path("office/shifts/<int:shift_id>/reset/", views.office_reset, name="office_reset"),
    path("office/shifts/<int:shift_id>/result/", views.office_result, name="office_result"),
    path("office/review/<int:shift_id>/", views.office_replay, name="office_replay"),
]

# Calendar: recurring series and provider blocks (calendar_views.py)
urlpatterns += [
    path("office/shifts/<int:shift_id>/series/new/", calendar_views.office_series_new, name="office_series_new"),
    path("office/shifts/<int:shift_id>/series/<int:series_id>/", calendar_views.office_series, name="office_series"),
    path("office/shifts/<int:shift_id>/blocks/", calendar_views.office_blocks, name="office_blocks"),
    path("office/shifts/<int:shift_id>/blocks/<int:block_id>/", calendar_views.office_block, name="office_block"),
]

urlpatterns += [
    path("calls/<int:session_id>/", call_views.call_session, name="call_session"),
    path("calls/<int:session_id>/result/", call_views.call_result, name="call_result"),
    path("office/calls/<int:session_id>/transcript/", call_views.call_transcript, name="call_transcript"),
]

# ---- patient accounts: check-in copays, desk payments, refunds, plans, statements, daily close, ERA worksheet ----
urlpatterns += [
    path(
        "office/shifts/<int:shift_id>/appointments/<int:appointment_id>/checkin/",
        accounts_views.office_checkin,
        name="office_checkin",
    ),
    path(
        "office/shifts/<int:shift_id>/patients/<int:patient_id>/account/",
        accounts_views.office_account,
        name="office_account",
    ),
    path("office/shifts/<int:shift_id>/statements/", accounts_views.office_statements, name="office_statements"),
    path(
        "office/shifts/<int:shift_id>/statements/<int:statement_id>/pdf/",
        accounts_views.office_statement_pdf,
        name="office_statement_pdf",
    ),
    path("office/shifts/<int:shift_id>/day-close/", accounts_views.office_day_close, name="office_day_close"),
    path(
        "office/shifts/<int:shift_id>/remittances/<int:remittance_id>/worksheet/",
        accounts_views.office_era_worksheet,
        name="office_era_worksheet",
    ),
]

# Claim follow-up: denial work queue, corrected / void / secondary claims, the claim batch, 837P and 835 files.
urlpatterns += [
    path("office/shifts/<int:shift_id>/denials/", claims_views.office_denials, name="office_denials"),
    path(
        "office/shifts/<int:shift_id>/denials/<int:claim_id>/<str:line_id>/<str:code>/",
        claims_views.office_denial_work,
        name="office_denial_work",
    ),
    path(
        "office/shifts/<int:shift_id>/claims/<int:claim_id>/followup/",
        claims_views.office_claim_followup,
        name="office_claim_followup",
    ),
    path(
        "office/shifts/<int:shift_id>/claims/<int:claim_id>/edit/",
        claims_views.office_claim_edit,
        name="office_claim_edit",
    ),
    path(
        "office/shifts/<int:shift_id>/claims/<int:claim_id>/837p/",
        claims_views.office_claim_837p,
        name="office_claim_837p",
    ),
    path(
        "office/shifts/<int:shift_id>/claims/<int:claim_id>/remittance/835/",
        claims_views.office_remittance_835,
        name="office_remittance_835",
    ),
    path("office/shifts/<int:shift_id>/era/", claims_views.office_era_import, name="office_era_import"),
    path("office/shifts/<int:shift_id>/batch/", claims_views.office_batch, name="office_batch"),
]

# Privacy: incident reports, routing to the privacy officer, break-the-glass (H1, H2, H4).
urlpatterns += [
    path(
        "office/shifts/<int:shift_id>/incidents/<slug:item_key>/",
        incident_views.office_incident,
        name="office_incident",
    ),
    path(
        "office/shifts/<int:shift_id>/privacy-officer/",
        incident_views.office_privacy_officer,
        name="office_privacy_officer",
    ),
    path(
        "office/shifts/<int:shift_id>/patients/<int:patient_id>/break-glass/",
        break_glass_views.office_break_glass,
        name="office_break_glass",
    ),
]

# ---- records desk (HIPAA requests, the accounting of disclosures) ----
urlpatterns += [
    path("office/shifts/<int:shift_id>/records/", records_views.office_records, name="office_records"),
    path(
        "office/shifts/<int:shift_id>/records/<int:request_id>/",
        records_views.office_records_request,
        name="office_records_request",
    ),
    path("office/shifts/<int:shift_id>/disclosures/", records_views.office_disclosures, name="office_disclosures"),
]
