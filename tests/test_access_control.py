"""Walk every URL pattern of the project and check it against every role.

A new view must (1) declare an access policy with `coursesite.people.access.access` and (2) get a row
in CASES below, or this test fails. Third-party URL trees (allauth, Wagtail admin, Django admin,
Wagtail documents, Wagtail's page serving) are guarded by their own packages; the test still probes
one entry point of each for each role.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

ROLES = ["anonymous", "trainee", "other_trainee", "other_supervisor", "supervisor", "editor"]
THIRD_PARTY_PREFIXES = ("accounts/", "cms/", "django-admin/", "documents/", "courses/")

LOGIN = "login"  # a redirect to the login page
OK = 200
REDIRECT = 302
FORBIDDEN = 403
NOT_FOUND = 404
NOT_ALLOWED = 405


def walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def project_patterns():
    return [
        (route, pattern)
        for route, pattern in walk(get_resolver().url_patterns)
        if not route.startswith(THIRD_PARTY_PREFIXES) and not route.startswith("^")
    ]


# name: (method, kwargs builder, {role: expected status})
def _cohort(world):
    return {"cohort_id": world["cohort"].pk}


def _trainee(world):
    return {"cohort_id": world["cohort"].pk, "user_id": world["users"]["trainee"].pk}


def _export(world):
    from coursesite.reports.services import spreadsheet_export_request
    from coursesite.reports.tasks import spreadsheet_export_build

    export = spreadsheet_export_request(
        cohort=world["cohort"], course=world["course"], requested_by=world["users"]["supervisor"]
    )
    spreadsheet_export_build.call(export_id=export.pk)  # the test transaction never commits to enqueue it
    return {"cohort_id": world["cohort"].pk, "export_id": export.pk}


def _invitation(world):
    return {"token": world["invitation"].token}


def _quiz(world):
    from tests.factories import QuestionFactory, make_course, make_quiz

    course = make_course(lessons=0, slug="access-quiz-course")
    return {"quiz_id": make_quiz(course, questions=[QuestionFactory()]).pk}


def _certificate(world):
    return {"certificate_id": world["certificate"].pk}


def _cohort_certificate(world):
    return {"cohort_id": world["cohort"].pk, "certificate_id": world["certificate"].pk}


def _code(world):
    return {"code": world["certificate"].code}


def _office_shift(world):
    """A shift of `trainee` (built once per test): the office URLs below all point into it."""
    if "shift" not in world:
        from simulations.services import shift_start
        from tests.factories import make_course, make_simulation

        page = make_simulation(make_course(lessons=0, slug="office-access"))
        world["shift"] = shift_start(learner=world["users"]["trainee"], page=page, seed="access")
    return world["shift"]


def _shift(world):
    return {"shift_id": _office_shift(world).pk}


def _shift_patient(world):
    shift = _office_shift(world)
    return {"shift_id": shift.pk, "patient_id": shift.patients.order_by("pk").first().pk}


def _shift_appointment(world):
    shift = _office_shift(world)
    return {"shift_id": shift.pk, "appointment_id": shift.appointments.order_by("pk").first().pk}


def _shift_series(world):
    """A recurring series in `trainee`'s shift (a row: the access rule, not the booking, is under test)."""
    from datetime import date, time

    from simulations.models import AppointmentSeries

    shift = _office_shift(world)
    series = AppointmentSeries.objects.create(
        shift=shift, patient=shift.patients.order_by("pk").first(), provider_key="okafor", type_key="follow-up",
        count=2, first_date=date(2026, 3, 16), start=time(9, 0), booked_at=shift.now,
    )  # fmt: skip
    return {"shift_id": shift.pk, "series_id": series.pk}


def _shift_block(world):
    from datetime import date

    from simulations.models import ProviderBlock

    shift = _office_shift(world)
    block = ProviderBlock.objects.create(
        shift=shift, provider_key="okafor", first_date=date(2026, 3, 19), last_date=date(2026, 3, 19), reason="meeting"
    )
    return {"shift_id": shift.pk, "block_id": block.pk}


def _billing_claim(world):
    """A claim of `trainee`, charged, sent and posted through the B1 worked solution (built once per test)."""
    if "claim" not in world:
        from simulations.models import Claim
        from simulations.services import shift_start
        from simulations.solutions import SOLUTIONS
        from tests.factories import make_course, make_simulation

        page = make_simulation(make_course(lessons=0, slug="billing-access"), scenario="b1-charge-claim-post")
        shift = shift_start(learner=world["users"]["trainee"], page=page, seed="access")
        SOLUTIONS["b1-charge-claim-post"](shift)
        world["claim"] = Claim.objects.for_shift(shift).get()
    return {"shift_id": world["claim"].shift_id, "claim_id": world["claim"].pk}


def _accounts_statement(world):
    """A statement of `trainee`'s P6 shift, sent through the worked solution (built once per test)."""
    if "statement" not in world:
        from simulations.models import Statement
        from simulations.services import shift_start
        from simulations.solutions import SOLUTIONS
        from tests.factories import make_course, make_simulation

        page = make_simulation(make_course(lessons=0, slug="accounts-access"), scenario="p6-statements-refund-plan")
        shift = shift_start(learner=world["users"]["trainee"], page=page, seed="access")
        SOLUTIONS["p6-statements-refund-plan"](shift)
        world["statement"] = Statement.objects.for_shift(shift).first()
    return {"shift_id": world["statement"].shift_id, "statement_id": world["statement"].pk}


def _accounts_remittance(world):
    """The remittance of `trainee`'s B1 claim (the posting worksheet reads any remittance)."""
    claim_kwargs = _billing_claim(world)
    return {"shift_id": claim_kwargs["shift_id"], "remittance_id": world["claim"].remittance.pk}


def _p4_denial(world):
    """A denial in the P4 queue of `trainee` (built once per test)."""
    if "denial" not in world:
        from simulations.claims_selectors import denial_queue
        from simulations.services import shift_start
        from tests.factories import make_course, make_simulation

        page = make_simulation(make_course(lessons=0, slug="denial-access"), scenario="p4-denial-work-queue")
        shift = shift_start(learner=world["users"]["trainee"], page=page, seed="access")
        row = denial_queue(shift=shift)[0]
        world["denial"] = {"shift_id": shift.pk, "claim_id": row.claim.pk, "line_id": row.line["line_id"],
                           "code": row.rule.code}  # fmt: skip
    return world["denial"]


def _call_session(world):
    """An open call session of `trainee`, one answer in."""
    if "call_session" not in world:
        from simulations.call_services import call_session_choose, call_session_start
        from tests.factories import make_call_page, make_course

        page = make_call_page(make_course(lessons=0, slug="call-access"))
        session = call_session_start(learner=world["users"]["trainee"], page=page)
        world["call_session"] = call_session_choose(session=session, step=1, choice_id="empathise")
    return {"session_id": world["call_session"].pk}


# The office is the trainee's own workspace: anyone else gets 404 for its URLs (no hint it exists).
OWN_SHIFT = {"anonymous": LOGIN, "trainee": OK, "other_trainee": NOT_FOUND, "other_supervisor": NOT_FOUND,
             "supervisor": NOT_FOUND, "editor": NOT_FOUND}  # fmt: skip
SUPERVISOR_ONLY = {
    "anonymous": LOGIN,
    "trainee": FORBIDDEN,
    "other_trainee": FORBIDDEN,
    "other_supervisor": NOT_FOUND,
    "supervisor": OK,
    "editor": FORBIDDEN,
}
EDITOR_ONLY = {**dict.fromkeys(ROLES, FORBIDDEN), "anonymous": LOGIN, "editor": OK}
CASES = {
    "home": ("get", None, {"anonymous": OK, "trainee": REDIRECT, "other_trainee": REDIRECT,
                           "other_supervisor": REDIRECT, "supervisor": REDIRECT, "editor": REDIRECT}),
    "healthz": ("get", None, dict.fromkeys(ROLES, OK)),
    "my_training": ("get", None, {**dict.fromkeys(ROLES, OK), "anonymous": LOGIN}),
    "search": ("get", None, {**dict.fromkeys(ROLES, OK), "anonymous": LOGIN}),
    "my_cohorts": ("get", None, {**SUPERVISOR_ONLY, "other_supervisor": OK}),
    "cohort_create": ("get", None, {**SUPERVISOR_ONLY, "other_supervisor": OK}),
    "cohort_detail": ("get", _cohort, SUPERVISOR_ONLY),
    "cohort_edit": ("get", _cohort, SUPERVISOR_ONLY),
    "cohort_rotate_key": ("post", _cohort, {**SUPERVISOR_ONLY, "supervisor": REDIRECT}),
    "cohort_invite": ("post", _cohort, {**SUPERVISOR_ONLY, "supervisor": 400}),
    "my_certificates": ("get", None, {**dict.fromkeys(ROLES, OK), "anonymous": LOGIN}),
    # Only the learner downloads their own certificate; everyone else gets 404, supervisors included.
    "certificate_download": ("get", _certificate, {**dict.fromkeys(ROLES, NOT_FOUND), "anonymous": LOGIN, "trainee": OK}),
    "certificate_badge": ("get", _certificate, {**dict.fromkeys(ROLES, NOT_FOUND), "anonymous": LOGIN, "trainee": OK}),
    "badge_issuer": ("get", None, dict.fromkeys(ROLES, OK)),
    "verify": ("get", None, dict.fromkeys(ROLES, OK)),
    "certificate_verify": ("get", _code, dict.fromkeys(ROLES, OK)),
    "cohort_certificates": ("get", _cohort, SUPERVISOR_ONLY),
    # The world's certificate has no PDF yet: it is queued and the supervisor is sent back.
    "cohort_certificates_zip": ("get", _cohort, {**SUPERVISOR_ONLY, "supervisor": REDIRECT}),
    "certificate_revoke": ("post", _cohort_certificate, {**SUPERVISOR_ONLY, "supervisor": 400}),  # no reason given
    "certificate_reissue": ("post", _cohort_certificate, {**SUPERVISOR_ONLY, "supervisor": REDIRECT}),
    "certificate_sign_off": ("post", _cohort, {**SUPERVISOR_ONLY, "supervisor": 400}),
    "certificate_rule_exception": ("post", _cohort, {**SUPERVISOR_ONLY, "supervisor": 400}),
    "cohort_assignment_set": ("post", _cohort, {**SUPERVISOR_ONLY, "supervisor": 400}),
    "cohort_matrix": ("get", _cohort, SUPERVISOR_ONLY),
    "cohort_matrix_csv": ("get", _cohort, SUPERVISOR_ONLY),
    "cohort_matrix_xlsx": ("post", _cohort, {**SUPERVISOR_ONLY, "supervisor": REDIRECT}),
    "spreadsheet_export": ("get", _export, SUPERVISOR_ONLY),
    "spreadsheet_export_download": ("get", _export, SUPERVISOR_ONLY),
    "trainee_record": ("get", _trainee, SUPERVISOR_ONLY),
    "trainee_comment_add": ("post", _trainee, {**SUPERVISOR_ONLY, "supervisor": 400}),
    "trainee_accommodation_grant": ("post", _trainee, {**SUPERVISOR_ONLY, "supervisor": 400}),
    "trainee_due_date_override": ("post", _trainee, {**SUPERVISOR_ONLY, "supervisor": 400}),
    "trainee_record_pdf": ("get", _trainee, SUPERVISOR_ONLY),
    "trainee_nudge": ("post", _trainee, {**SUPERVISOR_ONLY, "supervisor": REDIRECT}),
    "audit_review": ("get", None, {**SUPERVISOR_ONLY, "other_supervisor": OK}),
    # Each supervisor sees a summary of their own cohorts (an empty one if they have none).
    "organisation_summary": ("get", None, {**SUPERVISOR_ONLY, "other_supervisor": OK}),
    "invitation_accept": ("get", _invitation, {"anonymous": REDIRECT, "trainee": REDIRECT, "other_trainee": REDIRECT,
                                               "other_supervisor": REDIRECT, "supervisor": REDIRECT, "editor": REDIRECT}),
    "quiz_analysis": ("get", _quiz, {**dict.fromkeys(ROLES, OK), "anonymous": LOGIN, "trainee": FORBIDDEN,
                                     "other_trainee": FORBIDDEN}),
    "quiz_accommodations": ("get", _cohort, SUPERVISOR_ONLY),
    "question_bank_gift": ("get", None, EDITOR_ONLY),
    "question_bank_gift_export": ("get", None, {**EDITOR_ONLY, "editor": 400}),
    "office_home": ("get", _shift, OWN_SHIFT),
    "office_calendar": ("get", _shift, OWN_SHIFT),
    "office_week": ("get", _shift, OWN_SHIFT),
    "office_book": ("get", _shift, OWN_SHIFT),
    "office_appointment": ("get", _shift_appointment, OWN_SHIFT),
    "office_patients": ("get", _shift, OWN_SHIFT),
    "office_register": ("get", _shift, OWN_SHIFT),
    "office_chart": ("get", _shift_patient, OWN_SHIFT),
    "office_charges": ("get", _shift_appointment, OWN_SHIFT),
    "office_claim": ("get", _billing_claim, OWN_SHIFT),
    "office_remittance": ("get", _billing_claim, OWN_SHIFT),
    "office_ledger": ("get", _shift_patient, OWN_SHIFT),
    "office_checkin": ("get", _shift_appointment, OWN_SHIFT),
    "office_account": ("get", _shift_patient, OWN_SHIFT),
    "office_statements": ("get", _shift, OWN_SHIFT),
    "office_statement_pdf": ("get", _accounts_statement, OWN_SHIFT),
    "office_day_close": ("get", _shift, OWN_SHIFT),
    "office_era_worksheet": ("get", _accounts_remittance, OWN_SHIFT),


    "office_denials": ("get", _shift, OWN_SHIFT),
    "office_denial_work": ("get", _p4_denial, OWN_SHIFT),
    "office_claim_followup": ("post", _billing_claim, {**OWN_SHIFT, "trainee": REDIRECT}),
    "office_claim_edit": ("get", _billing_claim, OWN_SHIFT),
    "office_claim_837p": ("get", _billing_claim, OWN_SHIFT),
    "office_remittance_835": ("get", _billing_claim, OWN_SHIFT),
    "office_era_import": ("get", _shift, OWN_SHIFT),
    "office_batch": ("get", _shift, OWN_SHIFT),
    "office_submit": ("post", _shift, {**OWN_SHIFT, "trainee": REDIRECT}),
    "office_reset": ("post", _shift, {**OWN_SHIFT, "trainee": REDIRECT}),
    "office_result": ("get", _shift, {**OWN_SHIFT, "trainee": REDIRECT}),  # open shift: back to the inbox
    "office_replay": ("get", _shift, {**SUPERVISOR_ONLY}),
    "office_series_new": ("get", _shift, OWN_SHIFT),
    "office_series": ("get", _shift_series, OWN_SHIFT),
    "office_blocks": ("get", _shift, OWN_SHIFT),
    "office_block": ("get", _shift_block, OWN_SHIFT),
    "call_session": ("get", _call_session, OWN_SHIFT),
    "call_result": ("get", _call_session, {**OWN_SHIFT, "trainee": REDIRECT}),  # open call: back to the call
    # A supervisor of the trainee's cohort reads the transcript; another cohort's supervisor gets 404.
    "call_transcript": ("get", _call_session, SUPERVISOR_ONLY),
}  # fmt: skip


def test_every_project_view_declares_an_access_policy():
    missing = [route for route, p in project_patterns() if not hasattr(p.callback, "access_policy")]
    assert not missing, f"Views without @access(...): {missing}"


def test_every_project_url_has_an_access_case():
    names = {p.name for _, p in project_patterns()}
    assert None not in names, "Every project URL needs a name"
    assert names == set(CASES), f"Add access cases for {names - set(CASES)}; remove stale ones {set(CASES) - names}"


@pytest.fixture
def world(cohort, trainee, other_trainee, supervisor, other_supervisor, editor, course):
    from coursesite.people.models import Invitation
    from tests.factories import CertificateFactory

    invitation = Invitation.objects.create(cohort=cohort, email="someone@example.test", invited_by=supervisor)
    certificate = CertificateFactory(learner=trainee)
    return {
        "cohort": cohort,
        "invitation": invitation,
        "certificate": certificate,
        "course": course,
        "users": {
            "trainee": trainee,
            "other_trainee": other_trainee,
            "supervisor": supervisor,
            "other_supervisor": other_supervisor,
            "editor": editor,
        },
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(CASES))
def test_url_answers_each_role_as_expected(client, world, name, role):
    from django.urls import reverse

    method, kwargs_for, expected_by_role = CASES[name]
    url = reverse(name, kwargs=kwargs_for(world) if kwargs_for else None)
    if role != "anonymous":
        client.force_login(world["users"][role])
    response = getattr(client, method)(url)
    expected = expected_by_role[role]
    if expected == LOGIN:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], response
    else:
        assert response.status_code == expected, f"{name} as {role}: {response.status_code}"


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", LOGIN), ("trainee", "denied"), ("supervisor", "denied"), ("editor", OK)],
)
def test_wagtail_admin_is_for_editors_only(client, world, role, expected, admin_user):
    if role != "anonymous":
        client.force_login(world["users"][role])
    response = client.get("/cms/")
    if expected == LOGIN:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif expected == "denied":
        # Wagtail sends users without admin access to its login with a message, or forbids them.
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert "/cms/" not in response["Location"] or "login" in response["Location"]
    else:
        assert response.status_code == OK


def test_django_admin_is_for_superusers_only(client, world, admin_user):
    client.force_login(world["users"]["supervisor"])
    assert client.get("/django-admin/").status_code == 302
    client.force_login(admin_user)
    assert client.get("/django-admin/").status_code == OK


def test_admin_login_forms_go_through_the_rate_limited_allauth_login(client, db):
    for url in ("/cms/login/", "/django-admin/login/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
