"""Registration with coverages (task R2): the service keeps the desk's order and refuses a broken
structure, the screen takes two plans, the grader judges the order by the NAIC rules, billing reads the
primary plan and names the secondary in box 9."""

from datetime import date

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from simulations import billing_services, services
from simulations.billing_selectors import claim_boxes
from simulations.cob import cob_order
from simulations.models import ActionLog, Appointment, Coverage, Patient, Scenario
from simulations.registration import cob_plan
from simulations.services import OfficeActionError
from simulations.solutions import SOLUTIONS, patient, r2_coverage
from tests.factories import make_simulation, seed_for_variant
from tests.simulations.test_content import CONTENT

KEY = "r2-birthday-rule"
CHILD = {
    "first_name": "Lucia",
    "last_name": "Ferreira",
    "dob": date(2017, 5, 22),
    "sex": "F",
    "phone": "",
    "address": "",
}
MOTHER = {
    "payer_key": "meridian", "member_id": "ME60431178", "group_number": "G7315", "relationship": "child",
    "subscriber_first_name": "Ana", "subscriber_last_name": "Ferreira", "subscriber_dob": date(1988, 3, 3),
    "subscriber_sex": "F",
}  # fmt: skip
FATHER = {**MOTHER, "payer_key": "bluepine", "member_id": "BL60431187", "subscriber_first_name": "Paulo",
          "subscriber_dob": date(1985, 7, 19), "subscriber_sex": "M"}  # fmt: skip


def _r2(course, learner, variant: int):
    page = make_simulation(course, scenario=KEY, slug=f"r2-{variant}")
    return services.shift_start(learner=learner, page=page, seed=seed_for_variant(KEY, variant))


@pytest.fixture
def r2(office_course, trainee):
    return _r2(office_course, trainee, 0)


def test_registration_keeps_the_order_the_desk_entered_and_logs_both_plans(shift):
    child = services.patient_register(shift=shift, data=CHILD, coverages=[FATHER, MOTHER])
    assert [(c.rank, c.member_id) for c in child.coverages.all()] == [(1, "BL60431187"), (2, "ME60431178")]
    entry = ActionLog.objects.for_shift(shift).get(kind="patient_registered")
    assert [c["member_id"] for c in entry.after["coverages"]] == ["BL60431187", "ME60431178"]
    assert entry.after["coverages"][0]["x12_relationship"] == "19"


def test_self_coverage_takes_the_subscriber_from_the_patient(shift):
    p = services.patient_register(
        shift=shift, data={**CHILD, "first_name": "Ana", "dob": date(1988, 3, 3)},
        coverages=[{"payer_key": "meridian", "member_id": "ME1", "relationship": "self"}],
    )  # fmt: skip
    c = p.coverages.get()
    assert (c.subscriber_name, c.subscriber_dob, c.subscriber_sex, c.x12_relationship) == (
        "Ana Ferreira", date(1988, 3, 3), "F", "18",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("coverages", "message"),
    [
        ([None, MOTHER], "needs a primary"),
        ([{**MOTHER, "subscriber_dob": None}], "subscriber's name and date of birth"),
        ([MOTHER, {**MOTHER}], "same card"),
        ([{**MOTHER, "payer_key": "selfpay"}], "payer"),
        ([{**MOTHER, "relationship": "self"}], "patient is the subscriber"),
        ([{**MOTHER, "payer_key": "nobody"}], "payer"),
        (
            [{**MOTHER, "effective_from": date(2020, 1, 1), "effective_to": date(2019, 1, 1)}],
            "cannot end before it starts",
        ),
    ],
)
def test_a_broken_coverage_structure_is_refused_and_changes_nothing(shift, coverages, message):
    before = (Patient.objects.for_shift(shift).count(), ActionLog.objects.for_shift(shift).count())
    with pytest.raises(OfficeActionError, match=message):
        services.patient_register(shift=shift, data=CHILD, coverages=coverages)
    after = (Patient.objects.for_shift(shift).count(), ActionLog.objects.for_shift(shift).count())
    assert after == before and not Coverage.objects.for_shift(shift).filter(patient__last_name="Ferreira").exists()


def test_the_database_refuses_two_primaries_for_one_patient(shift):
    from django.db import IntegrityError, transaction

    p = services.patient_register(shift=shift, data=CHILD, coverages=[MOTHER])
    with pytest.raises(IntegrityError), transaction.atomic():
        Coverage.objects.create(shift=shift, patient=p, rank=1, payer_key="bluepine", member_id="X", relationship="self",
                                subscriber_first_name="A", subscriber_last_name="B")  # fmt: skip


@pytest.fixture
def as_trainee(client, trainee):
    client.force_login(trainee)
    return client


def _post_data(primary: dict, secondary: dict | None) -> dict:
    data = {"first_name": "Lucia", "last_name": "Ferreira", "dob": "2017-05-22", "sex": "F", "phone": "", "address": ""}
    for prefix, cov in (("primary", primary), ("secondary", secondary)):
        for name, value in (cov or {}).items():
            data[f"{prefix}-{name}"] = value.isoformat() if isinstance(value, date) else value
    return data


def test_the_screen_registers_two_plans_in_the_order_entered(as_trainee, shift):
    url = reverse("office_register", args=[shift.pk])
    page = as_trainee.get(url).content.decode()
    assert "Primary coverage" in page and "Secondary coverage" in page and "Child (19)" in page
    assert "birthday rule" in page  # the rule is taught on the screen; the order is the trainee's
    response = as_trainee.post(url, _post_data(FATHER, MOTHER))
    assert response.status_code == 302
    child = Patient.objects.for_shift(shift).get(last_name="Ferreira")
    assert [c.payer_key for c in child.coverages.all()] == ["bluepine", "meridian"]  # not silently re-ordered


def test_the_screen_refuses_a_dependent_plan_without_the_subscriber(as_trainee, shift):
    url = reverse("office_register", args=[shift.pk])
    incomplete = {k: v for k, v in MOTHER.items() if k != "subscriber_dob"}
    response = as_trainee.post(url, _post_data(incomplete, None))
    assert response.status_code == 400 and "enter the subscriber" in response.content.decode()
    response = as_trainee.post(url, _post_data({}, MOTHER))
    assert response.status_code == 400 and "needs a primary" in response.content.decode()
    assert not Patient.objects.for_shift(shift).filter(last_name="Ferreira").exists()


def test_the_chart_lists_the_coverages_in_billing_order_in_bounded_queries(
    as_trainee, shift, django_assert_max_num_queries
):
    child = services.patient_register(shift=shift, data=CHILD, coverages=[MOTHER, FATHER])
    url = reverse("office_chart", args=[shift.pk, child.pk])
    with django_assert_max_num_queries(20):
        body = as_trainee.get(url).content.decode()
    assert body.index("ME60431178") < body.index("BL60431187")
    assert "03/03/1988" in body and "Child (19)" in body


def test_r2_every_variants_key_agrees_with_the_coordination_rules():
    data = yaml.safe_load((CONTENT / "scenarios" / f"{KEY}.yaml").read_text())
    rules_seen = set()
    for variant in data["variants"]:
        plans = [
            cob_plan(variant[side], court_ordered=variant[side]["member_id"] == variant["court_ordered"])
            for side in ("card1", "card2")
        ]
        decision = cob_order(*plans, parents_together=variant["parents_together"])
        assert decision.primary.key == variant["primary"]["payer_key"], variant["child"]["first_name"]
        rules_seen.add(decision.rule)
    assert rules_seen == {"birthday", "longer-coverage", "court-decree"}


def _submit_swapped(shift):
    values = shift.variant["values"]
    child = values["child"]
    services.patient_search_record(shift=shift, name=child["last_name"], dob=None, results=0)
    services.patient_register(
        shift=shift,
        data={"first_name": child["first_name"], "last_name": child["last_name"],
              "dob": date.fromisoformat(child["dob"]), "sex": child["sex"], "phone": child["phone"],
              "address": child["address"]},
        coverages=[r2_coverage(values["secondary"]), r2_coverage(values["primary"])],
    )  # fmt: skip
    return services.shift_submit(shift=shift)


@pytest.mark.parametrize(
    ("variant", "why"), [(0, "birthday rule"), (2, "covered the parent longer"), (3, "court decree")]
)
def test_r2_swapped_order_fails_with_feedback_citing_the_rule(office_course, trainee, variant, why):
    shift = _submit_swapped(_r2(office_course, trainee, variant))
    items = {i["id"]: i for i in shift.result["items"]}
    assert not items["order"]["passed"] and not shift.passed
    assert "wrong order" in items["order"]["detail"] and why in items["order"]["detail"]
    assert "NAIC" in items["order"]["rule"] and "birthday" in items["order"]["feedback"]
    assert items["child"]["passed"] and items["searched-first"]["passed"]


def test_r2_variant_zero_explains_the_birthday_rule_in_words(r2):
    SOLUTIONS[KEY](r2)
    shift = services.shift_submit(shift=r2)
    detail = {i["id"]: i for i in shift.result["items"]}["order"]["detail"]
    assert "Ana Ferreira's birthday March 3 comes before Paulo Ferreira's July 19" in detail


def test_r2_the_childs_own_birth_date_as_the_subscribers_fails_the_subscriber_check(r2):
    values = r2.variant["values"]
    wrong = [{**r2_coverage(values[side]), "subscriber_dob": date.fromisoformat(values["child"]["dob"])}
             for side in ("primary", "secondary")]  # fmt: skip
    services.patient_register(
        shift=r2,
        data={"first_name": values["child"]["first_name"], "last_name": values["child"]["last_name"],
              "dob": date.fromisoformat(values["child"]["dob"]), "sex": values["child"]["sex"], "phone": "", "address": ""},
        coverages=wrong,
    )  # fmt: skip
    items = {i["id"]: i for i in services.shift_submit(shift=r2).result["items"]}
    assert items["order"]["passed"] and not items["subscribers"]["passed"]
    assert "subscriber dob" in items["subscribers"]["detail"]


def test_the_office_seeds_children_on_two_parental_plans_in_coordination_order(r2):
    amelie = patient(r2, "amelie-delacroix")
    primary, secondary = amelie.coverages.all()
    assert (primary.subscriber_name, secondary.subscriber_name) == ("Simone Delacroix", "Julien Delacroix")
    assert primary.member_id != secondary.member_id and primary.payer_key == secondary.payer_key  # look-alikes
    for key in ("amelie-delacroix", "yusuf-nasser", "nils-sandberg"):
        plans = [cob_plan(vars(c)) for c in patient(r2, key).coverages.all()]
        assert cob_order(*plans).primary == plans[0], key


def test_a_claim_for_a_child_bills_the_primary_plan_and_names_the_parent_and_the_secondary(r2):
    amelie = patient(r2, "amelie-delacroix")
    visit = Appointment.objects.for_shift(r2).filter(date__lt=date(2026, 3, 10), status="arrived").first()
    Appointment.objects.filter(pk=visit.pk).update(patient=amelie)
    Patient.objects.filter(pk=amelie.pk).update(problems=[{"code": "J30.9", "description": "Allergic rhinitis"}])
    visit.refresh_from_db()
    claim = billing_services.charges_capture(
        shift=r2, appointment=visit, lines=[{"code": "SIM-OV-EST-15", "units": "1", "diagnoses": ["J30.9"]}]
    )
    assert (claim.payer_key, claim.member_id, claim.relationship) == ("bluepine", "BL48120375", "child")
    domain = billing_services.claim_domain(shift=r2, claim=claim, lines=list(claim.lines.all()))
    assert (domain.insured.first_name, domain.insured.birth_date) == ("Simone", date(1986, 3, 7))
    assert domain.patient.first_name == "Amelie"
    boxes = {box: value for box, _, value in claim_boxes(shift=r2, claim=claim, lines=list(claim.lines.all()))}
    assert boxes["4"] == "Delacroix, Simone" and boxes["11a"] == "03 07 1986 · F"
    assert boxes["9"] == "Delacroix, Julien" and boxes["9a"].startswith("BL48120357") and boxes["11d"].startswith("Yes")
    assert boxes["6"] == "child (19)"


def test_scenario_loads_with_at_least_two_variants(r2):
    assert len(Scenario.objects.get(key=KEY).parsed.variants) >= 2


def test_grading_input_reads_coverages_in_one_query(r2):
    from simulations.selectors import grading_input

    with CaptureQueriesContext(connection) as ctx:
        g = grading_input(shift=r2)
    assert sum("simulations_coverage" in q["sql"] for q in ctx.captured_queries) == 1
    assert len(g.patients["amelie-delacroix"]["coverages"]) == 2
    assert g.patients["amelie-delacroix"]["payer_key"] == "bluepine"


def test_each_shift_gets_its_own_coverage_rows(shift, other_shift):
    mine = Coverage.objects.for_shift(shift)
    theirs = Coverage.objects.for_shift(other_shift)
    assert mine.count() == theirs.count() > 40
    assert not mine.exclude(patient__shift=shift).exists() and not theirs.exclude(patient__shift=other_shift).exists()
    assert not set(mine.values_list("pk", flat=True)) & set(theirs.values_list("pk", flat=True))


def test_another_trainees_chart_with_coverages_is_not_found(as_trainee, shift, other_shift):
    child = Patient.objects.for_shift(other_shift).get(key="amelie-delacroix")
    assert as_trainee.get(reverse("office_chart", args=[other_shift.pk, child.pk])).status_code == 404
    assert as_trainee.get(reverse("office_chart", args=[shift.pk, child.pk])).status_code == 404
