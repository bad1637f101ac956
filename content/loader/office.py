"""The practice office's files: content/office/*.yaml (the template) and content/scenarios/*.yaml.

Parsed and validated completely (ICD-10-CM codes, references, every scenario variant rendered against
the template) before anything is written; written idempotently like the courses: a scenario an editor
changed in the admin since the last load is left alone, and reported.
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction

from content.models import LoadRecord
from simulations.models import OfficeTemplate, Scenario
from simulations.office import OfficeError, office_rules, office_validate
from simulations.scenarios import ScenarioError, scenario_parse, scenario_render
from simulations.series import holidays_validate, setup_blocks_validate

from .errors import ContentError

OFFICE_KEY = "maple-grove"


@dataclass
class OfficeData:
    source: str
    data: dict
    content_hash: str


@dataclass
class ScenarioData:
    source: str
    key: str
    title: str
    text: str
    content_hash: str


@dataclass
class OfficeContent:
    office: OfficeData | None = None
    scenarios: dict[str, ScenarioData] = field(default_factory=dict)


def _read_yaml(path: Path, root: Path):
    source = str(path.relative_to(root))
    try:
        return source, yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ContentError(source, mark.line + 1 if mark else None, f"invalid YAML: {exc}") from exc


def _dates_to_text(obj):
    """YAML turns 2026-03-10 into a date; the template is stored as JSON, so keep ISO strings."""
    if isinstance(obj, dict):
        return {k: _dates_to_text(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_dates_to_text(v) for v in obj]
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    return obj


def parse_office_content(root: Path) -> OfficeContent:
    content = OfficeContent()
    office_dir = root / "office"
    if not office_dir.exists():
        return content
    merged: dict = {}
    hasher = hashlib.sha256()
    for path in sorted(office_dir.glob("*.yaml")):
        source, data = _read_yaml(path, root)
        if not isinstance(data, dict):
            raise ContentError(source, None, "expected a mapping of sections")
        overlap = set(data) & set(merged)
        if overlap:
            raise ContentError(source, None, f"section(s) {sorted(overlap)} are defined twice in content/office/")
        merged.update(_dates_to_text(data))
        hasher.update(path.read_bytes())
    try:
        office_validate(merged)
        holidays_validate(merged["practice"] or {})  # practice.holidays: the days the office is closed
    except OfficeError as exc:
        raise ContentError("office", None, str(exc)) from exc
    content.office = OfficeData(source="office", data=merged, content_hash=hasher.hexdigest())
    rules = office_rules(merged)
    patients = {p["key"]: p for p in merged["patients"]}
    for path in sorted((root / "scenarios").glob("*.yaml")) if (root / "scenarios").exists() else []:
        source = str(path.relative_to(root))
        text = path.read_text(encoding="utf-8")
        try:
            definition = scenario_parse(text)
            for index in range(len(definition.variants)):  # every variant must render against the template
                _render_variant(definition, index, patients, rules)
        except ScenarioError as exc:
            raise ContentError(source, None, str(exc)) from exc
        if path.stem != definition.key:
            raise ContentError(source, None, f"key {definition.key!r} does not match the file name {path.stem!r}")
        content.scenarios[definition.key] = ScenarioData(
            source=source,
            key=definition.key,
            title=definition.title,
            text=text,
            content_hash=hashlib.sha256(text.encode()).hexdigest(),
        )
    return content


def _render_variant(definition, index: int, patients: dict, rules: dict) -> None:
    """Render one variant (whatever the seed) and check that the people and rules it names exist."""
    only = definition.__class__(**{**definition.__dict__, "variants": [definition.variants[index]]})
    rendered = scenario_render(only, seed="check", patients=patients, rules=rules)
    for item in rendered["setup"].get("appointments") or []:
        if item["patient"] not in patients or item["provider"] not in rules["providers"]:
            raise ScenarioError(f"variant {index + 1}: setup appointment names an unknown patient or provider")
        if item["type"] not in rules["types"]:
            raise ScenarioError(f"variant {index + 1}: unknown appointment type {item['type']!r}")
    try:
        setup_blocks_validate(rendered["setup"].get("blocks") or [], rules)
    except OfficeError as exc:
        raise ScenarioError(f"variant {index + 1}: {exc}") from exc
    for item in rendered["setup"].get("chart") or []:
        if item["patient"] not in patients:
            raise ScenarioError(f"variant {index + 1}: chart entry for unknown patient {item['patient']!r}")


@transaction.atomic
def write_office_content(content: OfficeContent, report) -> None:
    if content.office is not None:
        template = OfficeTemplate.objects.filter(key=OFFICE_KEY).first()
        name = content.office.data["practice"]["name"]
        if template is None:
            OfficeTemplate.objects.create(
                key=OFFICE_KEY, name=name, data=content.office.data, content_hash=content.office.content_hash
            )
            report.created.append("office/")
        elif template.content_hash != content.office.content_hash:
            template.name, template.data, template.content_hash = name, content.office.data, content.office.content_hash
            template.save()
            report.updated.append("office/")
        else:
            report.unchanged.append("office/")
    for item in content.scenarios.values():
        record = LoadRecord.objects.filter(source=item.source).first()
        scenario = Scenario.objects.filter(key=item.key).first()
        if scenario is None:
            scenario = Scenario(key=item.key, title=item.title, definition=item.text)
            scenario.full_clean()
            scenario.save()
            LoadRecord.objects.update_or_create(source=item.source, defaults={"content_hash": item.content_hash})
            report.created.append(item.source)
        elif record is None or scenario.definition_hash() != record.content_hash:
            report.kept_editor_changes.append(item.source)  # made or changed in the admin: theirs to keep
        elif record.content_hash == item.content_hash:
            report.unchanged.append(item.source)
        else:
            scenario.title, scenario.definition = item.title, item.text
            scenario.full_clean()
            scenario.save()
            record.content_hash = item.content_hash
            record.save()
            report.updated.append(item.source)
