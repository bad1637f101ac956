"""Registration helpers: turn the desk's coverage entries into Coverage rows, and read them back.

No transaction or log here: `services.patient_register` calls `coverage_rows` inside its own atomic
action. Readers that need a patient's plan (billing, the claim form, grading) use `primary_coverage` /
`coverages_by_patient` so that a page reads coverages in one query.
"""

from collections import defaultdict
from datetime import date

from .cob import Plan
from .models import Coverage, Patient, Shift

COVERAGE_STATE_FIELDS = [
    "rank", "payer_key", "member_id", "group_number", "relationship", "subscriber_first_name",
    "subscriber_last_name", "subscriber_dob", "subscriber_sex", "effective_from", "effective_to",
]  # fmt: skip


class CoverageError(ValueError):
    def __init__(self, *messages: str):
        super().__init__(" ".join(messages))
        self.messages = list(messages)


def coverage_rows(*, shift: Shift, patient: Patient, coverages: list[dict | None]) -> list[Coverage]:
    """Validated, unsaved Coverage rows from [primary, secondary] entries (None or missing = no such plan).

    Structure only: a payer the office knows, a member id, the subscriber (the patient themself when the
    relationship is "self"), no secondary without a primary, not the same card twice. The order is the
    trainee's decision and is kept as entered."""
    entries = list(coverages) + [None] * (2 - len(coverages))
    if len(entries) > 2:
        raise CoverageError("A patient has at most two coverages here: a primary and a secondary.")
    if entries[0] is None and entries[1] is not None:
        raise CoverageError("A secondary coverage needs a primary: fill in the primary plan first.")
    rows: list[Coverage] = []
    for rank, entry in enumerate(entries, start=1):
        if entry is None:
            continue
        payer = shift.office["payers"].get(entry.get("payer_key") or "")
        if payer is None or payer.get("kind") == "self-pay":
            raise CoverageError("Choose each coverage's payer from the list (leave the coverage blank if self-pay).")
        data = {name: entry.get(name) for name in COVERAGE_STATE_FIELDS if name != "rank"}
        data = {k: ("" if v is None and k not in ("subscriber_dob", "effective_from", "effective_to") else v)
                for k, v in data.items()}  # fmt: skip
        if data["relationship"] == Coverage.Relationship.SELF:
            named = (
                str(data["subscriber_first_name"]).strip().lower(),
                str(data["subscriber_last_name"]).strip().lower(),
            )
            if any(named) and named != (patient.first_name.strip().lower(), patient.last_name.strip().lower()):
                raise CoverageError(
                    "Relationship “Self” means the patient is the subscriber: clear the subscriber's name or choose "
                    "the patient's relationship to the person named on the card."
                )
            data.update(
                subscriber_first_name=data["subscriber_first_name"] or patient.first_name,
                subscriber_last_name=data["subscriber_last_name"] or patient.last_name,
                subscriber_dob=data["subscriber_dob"] or patient.dob,
                subscriber_sex=data["subscriber_sex"] or patient.sex,
            )
        elif not all(data[k] for k in ("subscriber_first_name", "subscriber_last_name", "subscriber_dob")):
            raise CoverageError("The subscriber is not the patient: enter the subscriber's name and date of birth.")
        if data["effective_from"] and data["effective_to"] and data["effective_to"] < data["effective_from"]:
            raise CoverageError("A coverage cannot end before it starts: check the effective dates.")
        row = Coverage(shift=shift, patient=patient, rank=rank, **data)
        try:
            row.full_clean(exclude=["patient", "shift"], validate_unique=False)
        except Exception as exc:  # ValidationError: report it in the office's terms
            raise CoverageError(*_messages(exc)) from exc
        rows.append(row)
    if len(rows) == 2 and (rows[0].payer_key, rows[0].member_id.strip()) == (
        rows[1].payer_key,
        rows[1].member_id.strip(),
    ):
        raise CoverageError("The primary and secondary are the same card: enter each plan once.")
    return rows


def _messages(exc) -> list[str]:
    by_field = getattr(exc, "message_dict", None)
    if by_field:
        return [f"{name.replace('_', ' ')}: {' '.join(texts)}" for name, texts in by_field.items()]
    return [str(exc)]


def coverage_state(row: Coverage) -> dict:
    """A coverage as plain data (the action log, the grader)."""
    out = {}
    for name in COVERAGE_STATE_FIELDS:
        value = getattr(row, name)
        out[name] = value.isoformat() if isinstance(value, date) else value
    out["x12_relationship"] = row.x12_relationship
    return out


def coverages_by_patient(*, shift: Shift, patient_ids=None) -> dict[int, list[Coverage]]:
    """The shift's coverages grouped by patient id, primary first, in one query."""
    rows = Coverage.objects.for_shift(shift)
    if patient_ids is not None:
        rows = rows.filter(patient_id__in=list(patient_ids))
    out: dict[int, list[Coverage]] = defaultdict(list)
    for row in rows.order_by("patient_id", "rank"):
        out[row.patient_id].append(row)
    return dict(out)


def primary_coverage(patient: Patient) -> Coverage | None:
    """The plan billed first, or None (self-pay). One query unless `coverages` was prefetched."""
    if patient.pk is None:
        return None
    return next((c for c in patient.coverages.all() if c.rank == Coverage.Rank.PRIMARY), None)


def secondary_coverage(patient: Patient) -> Coverage | None:
    if patient.pk is None:
        return None
    return next((c for c in patient.coverages.all() if c.rank == Coverage.Rank.SECONDARY), None)


def cob_plan(data: dict, *, key: str = "", court_ordered: bool = False, custodial: bool | None = None) -> Plan:
    """A coverage (row state or a scenario's key) as the coordination rules see it."""

    def _date(value):
        return date.fromisoformat(str(value)) if value else None

    name = " ".join(str(data.get(k) or "") for k in ("subscriber_first_name", "subscriber_last_name")).strip()
    return Plan(
        key=key or str(data.get("payer_key", "")),
        relationship=str(data.get("relationship", "")),
        subscriber=name or "the subscriber",
        subscriber_dob=_date(data.get("subscriber_dob")),
        covered_since=_date(data.get("effective_from")),
        court_ordered=court_ordered,
        custodial=custodial,
    )
