"""Front-desk and charting checks: scheduling, registration, the action log, charts and orders."""

from datetime import date, timedelta

from ..booking import Booked, booking_problems
from ..office import WEEKDAYS, parse_date
from .core import GradingInput, Outcome, _loose, check, normalise, resolve_patient, word_diff


def _active(g: GradingInput, patient: str | None, type_key: str | None = None) -> list[dict]:
    return [
        a
        for a in g.appointments
        if a["patient"] == patient
        and a["status"] in ("booked", "arrived")
        and (type_key is None or a["type"] == type_key)
    ]


def _booked(a: dict) -> Booked:
    return Booked(a["provider"], a["type"], a["patient"], a["date"], a["start"], a["minutes"])


def _add_business_days(day: date, days: int) -> date:
    step = 1 if days >= 0 else -1
    while days:
        day += timedelta(days=step)
        if day.weekday() < 5:
            days -= step
    return day


def _first(g: GradingInput, kinds: set[str], patient: str | None) -> dict | None:
    return next((e for e in g.log if e["kind"] in kinds and (patient is None or e["patient"] == patient)), None)


# ---- E: end state --------------------------------------------------------------------------------


@check
def appointment_booked(
    g: GradingInput,
    patient,
    type: str,  # noqa: A002 - the word the scenario files use
    providers: list[str] | None = None,
    weekdays: list[str] | None = None,
    on_or_after: str | None = None,
    on_or_before: str | None = None,
    count: int = 1,
) -> Outcome:
    """Exactly `count` active appointments of `type` for the patient, each valid under the office rules
    (availability, duration, lunch, morning-only, daily limit, no overlap) and inside the constraints."""
    key = resolve_patient(g, patient)
    if key is None:
        return Outcome(False, "The patient is not in the system.")
    found = _active(g, key, type)
    if len(found) != count:
        return Outcome(False, f"Found {len(found)} active “{type}” appointment(s) for the patient; expected {count}.")
    for appt in found:
        others = [_booked(a) for a in g.appointments if a["id"] != appt["id"] and a["status"] in ("booked", "arrived")]
        problems = booking_problems(
            rules=g.rules,
            provider_key=appt["provider"],
            type_key=appt["type"],
            patient_key=appt["patient"],
            day=appt["date"],
            start=appt["start"],
            existing=others,
            auth_number=appt["auth_number"] or "(not graded here)",
        )
        if appt["minutes"] != int(g.rules["types"][appt["type"]]["minutes"]):
            problems.append("The duration is not the appointment type's default.")
        if problems:
            return Outcome(False, " ".join(problems))
        if providers and appt["provider"] not in providers:
            return Outcome(False, f"Booked with {g.rules['providers'][appt['provider']]['name']}.")
        if weekdays and WEEKDAYS[appt["date"].weekday()] not in weekdays:
            return Outcome(False, f"Booked on a {appt['date']:%A}, not a day the patient asked for.")
        if on_or_after and appt["date"] < parse_date(on_or_after):
            return Outcome(False, f"Booked on {appt['date']}, before {on_or_after}.")
        if on_or_before and appt["date"] > parse_date(on_or_before):
            return Outcome(False, f"Booked on {appt['date']}, after {on_or_before}.")
    return Outcome(True)


@check
def appointment_status(g: GradingInput, appointment: str, status: str | list[str]) -> Outcome:
    """The seeded appointment `appointment` (its key) ends in `status` (or one of a list)."""
    wanted = [status] if isinstance(status, str) else status
    row = next((a for a in g.appointments if a["key"] == appointment), None)
    if row is None:
        return Outcome(False, "The appointment no longer exists.")
    return Outcome(row["status"] in wanted, f"Its status is “{row['status']}”.")


@check
def patient_registered(g: GradingInput, patient, fields: dict) -> Outcome:
    """A patient registered in this shift matches the key on every listed field (loose compare)."""
    candidates = [row for row in g.patients.values() if row["registered_in_shift"]]
    matches = [row for row in candidates if all(_loose(row.get(k)) == _loose(v) for k, v in patient.items())]
    if len(matches) != 1:
        return Outcome(False, f"{len(matches)} matching new registrations found; expected exactly one.")
    wrong = [name for name, value in fields.items() if _loose(matches[0].get(name)) != _loose(value)]
    return Outcome(not wrong, f"Fields that differ from the caller's details: {', '.join(wrong)}." if wrong else "")


@check
def order_matches(g: GradingInput, patient: str, text: str) -> Outcome:
    """The trainee entered the order on the patient's chart, word for word (whitespace aside)."""
    orders = [e for e in g.chart if e["patient"] == patient and e["kind"] == "order" and e["by_trainee"]]
    if not orders:
        return Outcome(False, "No order was entered on the patient's chart.")
    best = orders[-1]
    if normalise(best["text"]) == normalise(text):
        return Outcome(True)
    return Outcome(False, "The entered order differs from the written order.", word_diff(text, best["text"]))


@check
def document_filed_to(g: GradingInput, item: str, patient: str) -> Outcome:
    """The inbox document `item` was filed, and filed to the patient's chart (the last filing counts)."""
    filings = [e for e in g.log if e["kind"] == "document_filed" and e["target"] == f"inbox:{item}"]
    if not filings:
        return Outcome(False, "The document was not filed.")
    return Outcome(filings[-1]["patient"] == patient, "Filed to another chart.")


@check
def no_entry(g: GradingInput, patient: str, kind: str) -> Outcome:
    """The trainee added no chart entry of `kind` for the patient (e.g. no order before it is clarified)."""
    found = [e for e in g.chart if e["patient"] == patient and e["kind"] == kind and e["by_trainee"]]
    return Outcome(not found, f"{len(found)} “{kind}” entr{'y' if len(found) == 1 else 'ies'} added.")


@check
def correction_appended(g: GradingInput, entry: str, contains_any: list[str]) -> Outcome:
    """A correction of the seeded entry `entry` exists, says why, and contains one of `contains_any`."""
    original = next((e for e in g.chart if e["key"] == entry), None)
    if original is None:
        return Outcome(False, "The original entry is gone.")
    corrections = [e for e in g.chart if e["kind"] == "correction" and e["corrects"] == original["id"]]
    if not corrections:
        return Outcome(False, "No correction was appended to the entry.")
    last = corrections[-1]
    text = normalise(last["text"]).lower()
    if not any(normalise(word).lower() in text for word in contains_any):
        return Outcome(False, f"The correction does not state the right value ({contains_any[0]}).")
    return Outcome(bool(last["reason"].strip()), "" if last["reason"].strip() else "No reason given.")


# ---- P: process (the action log) -----------------------------------------------------------------


@check
def identified_before(g: GradingInput, patient, actions: list[str]) -> Outcome:
    """Two identifiers (name and date of birth) were confirmed before the first of `actions`."""
    key = resolve_patient(g, patient)
    act = _first(g, set(actions), key)
    if act is None:
        return Outcome(False, "The action that needs identification was never taken.")
    verified = next(
        (
            e
            for e in g.log
            if e["kind"] == "identity_verified"
            and e["patient"] == key
            and e["seq"] < act["seq"]
            and {"name", "dob"} <= set((e["after"] or {}).get("identifiers", []))
        ),
        None,
    )
    return Outcome(verified is not None, "" if verified else "No name + date-of-birth check before acting.")


@check
def action_before(g: GradingInput, first: list[str], then: list[str], patient=None) -> Outcome:
    """An action of a `first` kind happened before any `then` action (which must happen); for one
    patient if `patient` is given, else for any."""
    key = resolve_patient(g, patient) if patient is not None else None
    later = _first(g, set(then), key)
    if later is None:
        return Outcome(False, "The later step was never taken.")
    earlier = _first(g, set(first), key)
    return Outcome(earlier is not None and earlier["seq"] < later["seq"], "The steps were out of order.")


@check
def action_logged(g: GradingInput, patient, kinds: list[str]) -> Outcome:
    """At least one action of one of `kinds` was logged for the patient."""
    key = resolve_patient(g, patient)
    return Outcome(_first(g, set(kinds), key) is not None, "The required step is not in the log.")


@check
def charts_opened_only(g: GradingInput, patients: list) -> Outcome:
    """No chart was opened except the listed patients' (opening others is snooping: 164.502(b))."""
    allowed = {resolve_patient(g, ref) for ref in patients}
    opened = sorted({e["patient"] for e in g.log if e["kind"] == "chart_view"} - allowed)
    names = ", ".join(f"{g.patients[k]['first_name']} {g.patients[k]['last_name']}" for k in opened if k in g.patients)
    return Outcome(not opened, f"Charts opened without a task reason: {names}." if opened else "")


# ---- C: computations -----------------------------------------------------------------------------


@check
def date_within_business_days(g: GradingInput, patient, type: str, base: str, days: int, tolerance: int) -> Outcome:  # noqa: A002
    """The booked date is within ±`tolerance` business days of `base` + `days` calendar days."""
    key = resolve_patient(g, patient)
    found = _active(g, key, type)
    if len(found) != 1:
        return Outcome(False, "There is not exactly one such appointment to compute from.")
    target = parse_date(base) + timedelta(days=days)
    low, high = _add_business_days(target, -tolerance), _add_business_days(target, tolerance)
    booked = found[0]["date"]
    ok = low <= booked <= high
    return Outcome(
        ok, f"Target {target:%a %d %b}; accepted {low:%a %d %b} – {high:%a %d %b}; booked {booked:%a %d %b}."
    )


@check
def appointment_provider(g: GradingInput, patient, type: str, provider: str) -> Outcome:  # noqa: A002
    """The patient's active appointment of `type` is with `provider`."""
    key = resolve_patient(g, patient)
    found = _active(g, key, type)
    ok = len(found) == 1 and found[0]["provider"] == provider
    return Outcome(ok, "" if ok else f"Expected {g.rules['providers'][provider]['name']}.")


@check
def call_outcome(g: GradingInput, item: str, outcomes: list[str]) -> Outcome:
    """The inbox call `item` was closed with one of `outcomes`, and a call note was written."""
    closed = [e for e in g.log if e["kind"] == "call_closed" and e["target"] == f"inbox:{item}"]
    if not closed:
        return Outcome(False, "The call was not closed with an outcome and a note.")
    last = closed[-1]["after"] or {}
    ok = last.get("outcome") in outcomes and bool(str(last.get("note", "")).strip())
    return Outcome(ok, "" if ok else f"The call was closed as “{last.get('outcome')}”.")


@check
def appointment_count(g: GradingInput, patient, status: str, count: int) -> Outcome:
    """The patient has exactly `count` appointments in `status` (e.g. the no-show count after this one)."""
    key = resolve_patient(g, patient)
    found = sum(1 for a in g.appointments if a["patient"] == key and a["status"] == status)
    return Outcome(found == count, f"{found} appointment(s) are “{status}”; expected {count}.")


@check
def contact_channel_allowed(g: GradingInput, patient) -> Outcome:
    """Every contact with the patient used a channel they allow (no voicemail or text if they said no)."""
    key = resolve_patient(g, patient)
    row = g.patients.get(key) or {}
    refused = {"voicemail"} if not row.get("voicemail_ok") else set()
    refused |= {"sms"} if not row.get("sms_ok") else set()
    used = [
        (e["after"] or {}).get("channel") for e in g.log if e["kind"] == "patient_contacted" and e["patient"] == key
    ]
    if not used:
        return Outcome(False, "The patient was not contacted.")
    wrong = sorted(set(used) & refused)
    return Outcome(not wrong, f"The patient does not allow: {', '.join(wrong)}." if wrong else "")


# ---- X: critical errors --------------------------------------------------------------------------


@check
def no_action_on(g: GradingInput, patients: list, kinds: list[str]) -> Outcome:
    """None of `kinds` was done to any of `patients` (the look-alikes): the wrong-patient gate."""
    keys = {resolve_patient(g, ref) for ref in patients} - {None}
    hits = [e for e in g.log if e["kind"] in kinds and e["patient"] in keys]
    return Outcome(not hits, f"{len(hits)} action(s) taken on the wrong patient." if hits else "")


@check
def orders_unaltered(g: GradingInput, patient: str, text: str) -> Outcome:
    """Every order the trainee entered for the patient is the written order, word for word."""
    altered = [
        e
        for e in g.chart
        if e["patient"] == patient
        and e["kind"] == "order"
        and e["by_trainee"]
        and normalise(e["text"]) != normalise(text)
    ]
    if not altered:
        return Outcome(True)
    return Outcome(False, "An order was entered with different words.", word_diff(text, altered[0]["text"]))


@check
def nothing_overwritten(g: GradingInput) -> Outcome:
    """No chart entry was edited in place or deleted: corrections are appended, the original kept."""
    hits = [e for e in g.log if e["kind"] in ("chart_entry_edited", "chart_entry_deleted")]
    return Outcome(
        not hits, f"{len(hits)} entr{'y was' if len(hits) == 1 else 'ies were'} overwritten." if hits else ""
    )
