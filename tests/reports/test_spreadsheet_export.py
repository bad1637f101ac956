from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from coursesite.audit.models import AuditEvent
from coursesite.reports.models import SpreadsheetExport

from .conftest import add_trainees, complete, steps_of

pytestmark = pytest.mark.django_db


def test_a_supervisor_exports_the_matrix_to_excel_in_the_background(
    client, supervisor, cohort, quiz_course, django_capture_on_commit_callbacks
):
    ann, bob = add_trainees(cohort, 2)
    complete(ann, steps_of(quiz_course)[0], quiz_course)
    client.force_login(supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cohort_matrix_xlsx", args=[cohort.pk]), {"course": quiz_course.pk})
    export = SpreadsheetExport.objects.get()
    assert response["Location"] == reverse("spreadsheet_export", args=[cohort.pk, export.pk])
    assert export.status == "done" and export.percent == 100
    assert "Download the Excel file" in client.get(response["Location"]).content.decode()
    download = client.get(reverse("spreadsheet_export_download", args=[cohort.pk, export.pk]))
    sheet = load_workbook(BytesIO(b"".join(download.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Name", "Email") and len(rows) == 3
    assert {row[1] for row in rows[1:]} == {ann.email, bob.email}
    assert AuditEvent.objects.filter(action="cohort_matrix_exported", detail__format="xlsx").exists()


def test_a_running_export_shows_its_progress_and_refreshes(client, supervisor, cohort, quiz_course):
    export = SpreadsheetExport.objects.create(
        cohort=cohort, course=quiz_course, requested_by=supervisor, status="running", rows_total=400, rows_done=100
    )
    client.force_login(supervisor)
    page = client.get(reverse("spreadsheet_export", args=[cohort.pk, export.pk])).content.decode()
    assert 'value="25"' in page and 'http-equiv="refresh"' in page and "Writing row 100 of 400" in page
    assert client.get(reverse("spreadsheet_export_download", args=[cohort.pk, export.pk])).status_code == 404


def test_another_cohorts_supervisor_cannot_see_or_download_the_export(client, other_supervisor, cohort, quiz_course):
    export = SpreadsheetExport.objects.create(cohort=cohort, course=quiz_course, status="done")
    client.force_login(other_supervisor)
    assert client.get(reverse("spreadsheet_export", args=[cohort.pk, export.pk])).status_code == 404
    assert client.get(reverse("spreadsheet_export_download", args=[cohort.pk, export.pk])).status_code == 404
