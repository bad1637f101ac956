"""The shipped office template and scenarios, the loader, scenario validation and the course step."""

from io import StringIO
from pathlib import Path

import pytest
import simple_icd_10_cm as icd
import yaml
from django.core.exceptions import ValidationError
from django.core.management import call_command
from wagtail.test.utils import WagtailPageTestCase

from lessons.models import CoursePage
from simulations.models import OfficeTemplate, Scenario, SimulationPage
from simulations.office import OfficeError, icd_code_problem, office_validate
from simulations.scenarios import ScenarioError, scenario_parse, scenario_render

CONTENT = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture(scope="module")
def office_data():
    data = {}
    for path in sorted((CONTENT / "office").glob("*.yaml")):
        data.update(yaml.safe_load(path.read_text()))
    return data


def test_the_template_is_large_and_varied_enough(office_data):
    patients = office_data["patients"]
    assert len(patients) >= 40 and len(office_data["payers"]) >= 5 and len(office_data["locations"]) == 2
    assert len(office_data["providers"]) == 4
    assert any(p["specialty"] == "Behavioral health" for p in office_data["providers"])
    assert any(p.get("vacation") for p in office_data["providers"])
    assert sum(1 for p in patients if p.get("guarantor")) >= 3  # minors on a parent's plan
    birthdays = [str(p["dob"]) for p in patients]
    assert len(birthdays) - len(set(birthdays)) >= 3  # shared birthdays on purpose
    assert {p["voicemail_ok"] for p in patients} == {True, False}


def test_every_problem_code_is_a_billable_icd10cm_code(office_data):
    codes = {problem["code"] for p in office_data["patients"] for problem in p.get("problems") or []}
    assert len(codes) >= 5
    for code in codes:
        assert icd.is_valid_item(code) and icd.is_leaf(code), code


def test_icd_validation_rejects_headers_and_inventions():
    assert icd_code_problem("J20.9") is None
    assert "header" in icd_code_problem("J20")
    assert "not an ICD-10-CM code" in icd_code_problem("Z99.999")


def test_office_validation_names_the_broken_reference(office_data):
    broken = {**office_data, "patients": [{**office_data["patients"][0], "guarantor": "nobody"}]}
    with pytest.raises(OfficeError, match="unknown guarantor"):
        office_validate(broken)
    bad_code = {
        **office_data,
        "patients": [{**office_data["patients"][0], "problems": [{"code": "E11", "description": "x"}]}],
    }
    with pytest.raises(OfficeError, match="category header"):
        office_validate(bad_code)


def test_the_generator_reproduces_the_committed_patients(tmp_path, monkeypatch):
    import importlib.util

    spec = importlib.util.spec_from_file_location("gen", CONTENT.parent / "scripts" / "generate_office_patients.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "OUT", tmp_path / "patients.yaml")
    module.main()
    assert (tmp_path / "patients.yaml").read_text() == (CONTENT / "office" / "patients.yaml").read_text()


MINIMAL = """
key: demo
title: Demo
today: "2026-03-10 09:00"
brief: Do it.
variants: [{target: a}, {target: b}]
inbox: [{kind: phone, title: Call, text: "Hi {target}"}]
checks:
  - {id: one, kind: P, check: charts_opened_only, params: {patients: ["{target}"]}, weight: 1, pass: ok, fail: no, rule: R}
"""


def test_scenario_parse_accepts_a_minimal_definition_and_renders_by_seed():
    definition = scenario_parse(MINIMAL)
    rules = {"providers": {}}
    first = scenario_render(definition, seed="s", patients={}, rules=rules)
    assert first == scenario_render(definition, seed="s", patients={}, rules=rules)
    assert first["inbox"][0]["text"] == f"Hi {first['values']['target']}"
    assert first["checks"][0]["params"]["patients"] == [first["values"]["target"]]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("variants: [{target: a}, {target: b}]", "variants: [{target: a}]"), "at least two variants"),
        (("check: charts_opened_only", "check: no_such_check"), "unknown check"),
        (("params: {patients:", "params: {people:"), "no parameter"),
        (("kind: P", "kind: Q"), "kind must be"),
        (("weight: 1", "weight: 0"), "carry weight"),
        (("kind: phone", "kind: pigeon"), "inbox item 1"),
        (("rule: R", "rule: ''"), "missing rule"),
    ],
)
def test_scenario_parse_rejects_mistakes_with_a_clear_message(change, message):
    with pytest.raises(ScenarioError, match=message):
        scenario_parse(MINIMAL.replace(*change))


@pytest.mark.django_db
def test_the_scenario_snippet_validates_its_yaml_on_save():
    scenario = Scenario(key="demo", title="Demo", definition=MINIMAL.replace("kind: P", "kind: Q"))
    with pytest.raises(ValidationError) as excinfo:
        scenario.full_clean()
    assert "definition" in excinfo.value.message_dict
    Scenario(key="demo", title="Demo", definition=MINIMAL).full_clean()
    with pytest.raises(ValidationError):
        Scenario(key="other", title="Demo", definition=MINIMAL).full_clean()


@pytest.mark.django_db
def test_load_content_loads_the_office_scenarios_and_the_course_step_idempotently():
    out = StringIO()
    call_command("load_content", stdout=out)
    assert OfficeTemplate.objects.count() == 1
    assert Scenario.objects.count() == len(list((CONTENT / "scenarios").glob("*.yaml")))
    step = SimulationPage.objects.get(slug="office-follow-up-booking")
    assert step.scenario.key == "s2-follow-up-two-weeks"
    siblings = [p.slug for p in step.get_parent().get_children()]
    assert siblings.index("office-follow-up-booking") == siblings.index("scheduling-conversations") + 1
    out = StringIO()
    call_command("load_content", stdout=out)
    assert "0 created, 0 updated" in out.getvalue()
    shipped = sum(
        "simulation" in step
        for path in (CONTENT / "courses").glob("*/course.yaml")
        for step in yaml.safe_load(path.read_text(encoding="utf-8"))["steps"]
    )
    assert SimulationPage.objects.count() == shipped and OfficeTemplate.objects.count() == 1
    front_office = {
        p.scenario.key
        for p in SimulationPage.objects.select_related("scenario")
        if p.get_parent().slug == "front-office"
    }
    assert "r2-birthday-rule" in front_office and len(front_office) == 12
    billing = SimulationPage.objects.get(slug="office-charge-claim-post")
    assert billing.scenario.key == "b1-charge-claim-post"
    siblings = [p.slug for p in billing.get_parent().get_children()]
    assert siblings.index("office-charge-claim-post") == siblings.index("the-claim-cms-1500") + 1


@pytest.mark.django_db
def test_an_editors_scenario_change_survives_a_reload():
    call_command("load_content", stdout=StringIO())
    scenario = Scenario.objects.get(key="c1-transcribe-order")
    scenario.definition = scenario.definition.replace("word for word", "verbatim")
    scenario.save()
    out = StringIO()
    call_command("load_content", stdout=out)
    assert "left alone" in out.getvalue() and "c1-transcribe-order" in out.getvalue()
    assert "verbatim" in Scenario.objects.get(key="c1-transcribe-order").definition


class TestEditorPath(WagtailPageTestCase):
    def test_a_simulation_step_belongs_under_a_course(self):
        self.assertCanCreateAt(CoursePage, SimulationPage)
        self.assertAllowedParentPageTypes(SimulationPage, {CoursePage})

    def test_the_step_renders(self):
        from tests.factories import UserFactory, make_course, make_simulation

        page = make_simulation(make_course(lessons=0, slug="editor-office"))
        self.client.force_login(UserFactory())
        self.assertPageIsRenderable(page)


@pytest.mark.django_db
def test_the_privacy_office_steps_follow_their_lessons_in_the_confidentiality_course():
    call_command("load_content", stdout=StringIO())
    fax = SimulationPage.objects.get(slug="office-misdirected-fax")
    siblings = [p.slug for p in fax.get_parent().get_children()]
    at = siblings.index("breaches-and-incident-reporting")
    assert siblings[at + 1 : at + 3] == ["office-misdirected-fax", "office-lost-laptop"]
    at = siblings.index("front-desk-security-habits")
    assert siblings[at + 1 : at + 3] == ["office-celebrity-chart", "office-break-the-glass"]
    assert SimulationPage.objects.get(slug="office-break-the-glass").scenario.key == "h2-break-the-glass"
