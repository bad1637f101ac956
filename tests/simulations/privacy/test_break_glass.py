"""Break-the-glass (H1, H2): charts outside the work queue are searchable but closed; emergency access asks
for a reason, a justification and a scope, notifies the supervisors, is audited, and lapses by itself."""

import pytest
from django.core import mail
from django.urls import reverse

from coursesite.audit.models import AuditEvent
from simulations import break_glass_services, services
from simulations.break_glass_selectors import chart_access
from simulations.models import ActionLog, BreakGlassGrant, Patient
from simulations.services import OfficeActionError
from tests.factories import make_simulation, seed_for_variant

GOOD = {
    "reason": "emergency_treatment",
    "justification": "ED physician treating the patient now needs the allergy list; care team unreachable.",
    "sections": ["entries"],
}


@pytest.fixture
def h2_shift(office_course, trainee):
    page = make_simulation(office_course, scenario="h2-break-the-glass", slug="h2")
    return services.shift_start(learner=trainee, page=page, seed=seed_for_variant("h2-break-the-glass", 0))


@pytest.fixture
def d(h2_shift):
    return Patient.objects.for_shift(h2_shift).get(key=h2_shift.variant["values"]["d"])


@pytest.fixture
def as_trainee(client, trainee):
    client.force_login(trainee)
    return client


def _chart(shift, patient):
    return reverse("office_chart", args=[shift.pk, patient.pk])


def _glass(shift, patient):
    return reverse("office_break_glass", args=[shift.pk, patient.pk])


def test_a_chart_outside_the_queue_is_searchable_but_closed(as_trainee, h2_shift, d):
    search = as_trainee.get(reverse("office_patients", args=[h2_shift.pk]), {"name": d.last_name})
    assert d.first_name in search.content.decode() and _glass(h2_shift, d) in search.content.decode()
    response = as_trainee.get(_chart(h2_shift, d))
    assert response.status_code == 302 and response["Location"] == _glass(h2_shift, d)
    assert not ActionLog.objects.for_shift(h2_shift).filter(kind="chart_view").exists()
    assert not AuditEvent.objects.filter(action="chart_opened").exists()
    with pytest.raises(OfficeActionError):  # the service refuses too, whatever calls it
        services.chart_open(shift=h2_shift, patient=d, reason="")


def test_charts_in_the_queue_open_normally_and_every_open_is_audited(as_trainee, h2_shift):
    mine = Patient.objects.for_shift(h2_shift).get(key=h2_shift.variant["values"]["q1"])
    assert as_trainee.get(_chart(h2_shift, mine)).status_code == 200
    event = AuditEvent.objects.get(action="chart_opened")
    assert event.actor.email == "trainee@example.test" and event.target == f"simulations.patient:{mine.pk}"


def test_breaking_the_glass_records_the_grant_notifies_the_supervisor_and_opens_only_the_scope(
    as_trainee, h2_shift, d, supervisor
):
    response = as_trainee.post(_glass(h2_shift, d), GOOD)
    assert response.status_code == 302 and response["Location"] == _chart(h2_shift, d)
    grant = BreakGlassGrant.objects.for_shift(h2_shift).get()
    assert grant.reason == "emergency_treatment" and grant.sections == ["entries"]
    assert grant.notified == [supervisor.email]
    assert (grant.expires_at_sim - grant.granted_at_sim).total_seconds() == 30 * 60
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [supervisor.email]
    assert d.full_name in mail.outbox[0].body and "164.312(a)(2)(ii)" in mail.outbox[0].body
    audit = AuditEvent.objects.get(action="break_glass")
    assert audit.detail["reason"] == "emergency_treatment" and audit.detail["notified"] == [supervisor.email]
    log = ActionLog.objects.for_shift(h2_shift).get(kind="break_glass")
    assert log.after["supervisor_notified"] is True and log.patient_key == d.key

    page = as_trainee.get(_chart(h2_shift, d))
    body = page.content.decode()
    assert page.status_code == 200 and "Medication and allergy review" in body
    assert "Insurance and account" not in body and "Problem list and allergies</h2>" not in body
    view = ActionLog.objects.for_shift(h2_shift).get(kind="chart_view")
    assert view.after["reason"] == f"break-glass:{grant.pk}"
    # the ledger is outside the scope
    ledger = as_trainee.get(reverse("office_ledger", args=[h2_shift.pk, d.pk]))
    assert ledger.status_code == 302 and ledger["Location"] == _chart(h2_shift, d)


def test_emergency_access_is_read_only(as_trainee, h2_shift, d):
    as_trainee.post(_glass(h2_shift, d), GOOD)
    before = ActionLog.objects.for_shift(h2_shift).count()
    response = as_trainee.post(_chart(h2_shift, d), {"action": "order", "text": "Aspirin 81 mg daily."}, follow=True)
    assert "read-only" in response.content.decode()
    assert ActionLog.objects.for_shift(h2_shift).count() == before + 1  # only the chart view after the redirect
    assert not d.chart_entries.filter(kind="order").exists()


def test_the_grant_lapses_after_its_limit_and_the_chart_is_closed_again(as_trainee, h2_shift, d):
    as_trainee.post(_glass(h2_shift, d), GOOD)
    assert chart_access(shift=h2_shift, patient=d).mode == "glass"
    for _ in range(15):  # 15 actions x 2 simulated minutes = the 30-minute limit
        services.patient_search_record(shift=h2_shift, name="x", dob=None, results=0)
    h2_shift.refresh_from_db()
    assert chart_access(shift=h2_shift, patient=d).mode == "closed"
    before = ActionLog.objects.for_shift(h2_shift).count()
    response = as_trainee.get(_chart(h2_shift, d))
    assert response.status_code == 302 and response["Location"] == _glass(h2_shift, d)
    reuse = as_trainee.post(_chart(h2_shift, d), {"action": "contact", "channel": "phone", "note": "x"}, follow=True)
    assert "has ended" in reuse.content.decode()
    assert ActionLog.objects.for_shift(h2_shift).count() == before
    assert not d.chart_entries.filter(by_trainee=True).exists()
    # a new emergency needs a new request (and a new notice)
    assert as_trainee.post(_glass(h2_shift, d), GOOD).status_code == 302
    assert BreakGlassGrant.objects.for_shift(h2_shift).count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**GOOD, "justification": "need it"}, "Write a justification"),
        ({**GOOD, "sections": ["demographics", "problems", "appointments", "entries", "billing"]}, "Limit the scope"),
        ({**GOOD, "reason": "curiosity"}, "Complete the request"),
        ({**GOOD, "sections": ["everything"]}, "Complete the request"),
    ],
)
def test_an_incomplete_or_unscoped_request_is_refused_and_changes_nothing(as_trainee, h2_shift, d, data, message):
    response = as_trainee.post(_glass(h2_shift, d), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not BreakGlassGrant.objects.exists() and not mail.outbox
    assert not ActionLog.objects.for_shift(h2_shift).exists()
    assert not AuditEvent.objects.filter(action="break_glass").exists()


def test_the_glass_is_not_broken_for_a_chart_in_the_queue(h2_shift):
    mine = Patient.objects.for_shift(h2_shift).get(key=h2_shift.variant["values"]["q1"])
    with pytest.raises(OfficeActionError, match="in your work queue"):
        break_glass_services.break_glass_request(shift=h2_shift, patient=mine, **GOOD)


def test_end_of_shift_limit_lasts_until_the_shift_is_submitted(office_course, trainee):
    page = make_simulation(office_course, scenario="h1-celebrity-chart", slug="h1")
    shift = services.shift_start(learner=trainee, page=page, seed="x")
    d = Patient.objects.for_shift(shift).get(key=shift.variant["values"]["d"])
    grant = break_glass_services.break_glass_request(shift=shift, patient=d, **GOOD)
    assert grant.expires_at_sim is None
    for _ in range(40):
        services.patient_search_record(shift=shift, name="x", dob=None, results=0)
    shift.refresh_from_db()
    assert chart_access(shift=shift, patient=d).mode == "glass"
    shift = services.shift_submit(shift=shift)
    assert chart_access(shift=shift, patient=d).mode == "closed"


def test_another_trainees_break_glass_screen_is_404(client, other_trainee, h2_shift, d):
    client.force_login(other_trainee)
    assert client.get(_glass(h2_shift, d)).status_code == 404
    assert client.post(_glass(h2_shift, d), GOOD).status_code == 404
    assert not BreakGlassGrant.objects.exists()


def test_a_patient_of_another_sandbox_in_my_url_is_404(as_trainee, h2_shift, office_course, other_trainee):
    page = make_simulation(office_course, scenario="h2-break-the-glass", slug="h2-other")
    theirs = services.shift_start(learner=other_trainee, page=page, seed="x")
    p = Patient.objects.for_shift(theirs).first()
    assert as_trainee.post(_glass(h2_shift, p), GOOD).status_code == 404
    assert not BreakGlassGrant.objects.exists()


def test_the_supervisors_trainee_record_lists_break_glass_events(client, supervisor, trainee, cohort, h2_shift, d):
    break_glass_services.break_glass_request(shift=h2_shift, patient=d, **GOOD)
    client.force_login(supervisor)
    body = client.get(reverse("trainee_record", args=[cohort.pk, trainee.pk])).content.decode()
    assert "Break-the-glass" in body and d.full_name in body and "Emergency treatment" in body


def test_break_glass_screens_run_a_bounded_number_of_queries(as_trainee, h2_shift, d, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert as_trainee.get(_glass(h2_shift, d)).status_code == 200
    as_trainee.post(_glass(h2_shift, d), {**GOOD, "sections": ["appointments", "entries"]})
    with django_assert_max_num_queries(22):
        assert as_trainee.get(_chart(h2_shift, d)).status_code == 200
