"""Privacy checks: incident reports (H4) and chart access outside the work queue (H1, H2).

Reports are read from `g.privacy["reports"]` (by inbox item), grants from `g.privacy["grants"]`; the log
gives chart views and routing to the privacy officer. The rules: 45 CFR 164.402-164.408 for incidents
(simulations/privacy/breach.py), 164.312(a)(2)(ii) and 164.308(a)(4) for emergency access
(simulations/privacy/emergency_access.py).
"""

from datetime import date

from ..privacy.emergency_access import JUSTIFIED, MIN_JUSTIFICATION_CHARS, REASONS
from .core import GradingInput, Outcome, check, resolve_patient


def _report(g: GradingInput, item: str) -> dict | None:
    return (g.privacy.get("reports") or {}).get(item)


def _grants(g: GradingInput, patient: str | None = None) -> list[dict]:
    return [x for x in g.privacy.get("grants") or [] if patient is None or x["patient"] == patient]


def _day(value) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


# ---- incidents -----------------------------------------------------------------------------------


@check
def incident_reported(g: GradingInput, item: str, within_minutes: int | None = None) -> Outcome:
    """An incident report was filed for the inbox incident `item` during the shift (within `within_minutes`
    of office time from the start of the shift, if given)."""
    report = _report(g, item)
    if report is None:
        return Outcome(False, "No incident report was filed.")
    if within_minutes is not None:
        taken = (report["filed_at_sim"].replace(tzinfo=None) - g.now).total_seconds() / 60
        if taken > within_minutes:
            return Outcome(False, f"Filed {taken:.0f} minutes into the shift; report within {within_minutes}.")
    return Outcome(True)


@check
def incident_facts(
    g: GradingInput,
    item: str,
    discovered_on: str,
    individuals: int,
    device: str | None = None,
    residents_of_one_state: int | None = None,
) -> Outcome:
    """The report states the facts the deadlines hang on: the discovery date (164.404(a)(2)), the number of
    individuals, the device's encryption and (for media notice) the residents of one state."""
    report = _report(g, item)
    if report is None:
        return Outcome(False, "No incident report was filed.")
    wrong = []
    if report["discovered_on"] != _day(discovered_on):
        wrong.append(f"discovered {report['discovered_on']:%m/%d/%Y}, not {_day(discovered_on):%m/%d/%Y}")
    if report["individuals"] != int(individuals):
        wrong.append(f"{report['individuals']} individuals, not {individuals}")
    if device is not None and report["device"] != device:
        wrong.append(f"device “{report['device']}”, not “{device}”")
    if residents_of_one_state is not None and report["residents_of_one_state"] != int(residents_of_one_state):
        wrong.append(f"{report['residents_of_one_state']} residents of one state, not {residents_of_one_state}")
    return Outcome(not wrong, ("Facts that differ: " + "; ".join(wrong) + ".") if wrong else "")


@check
def incident_conclusion(g: GradingInput, item: str, expected: str | list[str]) -> Outcome:
    """The assessment's conclusion (computed from the trainee's facts and four factors) is the expected one:
    secured, exception, low_probability or breach."""
    report = _report(g, item)
    if report is None:
        return Outcome(False, "No incident report was filed.")
    wanted = [expected] if isinstance(expected, str) else list(expected)
    return Outcome(report["conclusion"] in wanted, f"The report concluded “{report['conclusion']}”.")


@check
def incident_deadlines(
    g: GradingInput, item: str, individuals: str | None = None, hhs: str | None = None, media: str | None = None
) -> Outcome:
    """The notices and their latest dates are the expected ones (a None date: no such notice is due), and
    the trainee's own date for notifying individuals is no later than the legal one (164.404(b))."""
    report = _report(g, item)
    if report is None:
        return Outcome(False, "No incident report was filed.")
    found = {n["to"]: _day(n["due"]) for n in report["notifications"]}
    expected = {"individuals": _day(individuals), "hhs": _day(hhs), "media": _day(media)}
    wrong = []
    for to, due in expected.items():
        if found.get(to) != due:
            have = f"{found[to]:%m/%d/%Y}" if found.get(to) else "none"
            want = f"{due:%m/%d/%Y}" if due else "none"
            wrong.append(f"{to}: {have} (expected {want})")
    if expected["individuals"] is not None:
        mine = report["individual_notice_by"]
        if mine is None:
            wrong.append("you did not give the date by which individuals must be notified")
        elif mine > expected["individuals"]:
            wrong.append(f"your notice date {mine:%m/%d/%Y} is later than the 60-day limit")
    return Outcome(not wrong, ("Deadlines: " + "; ".join(wrong) + ".") if wrong else "")


@check
def incident_not_underreported(g: GradingInput, item: str, expected: str) -> Outcome:
    """Critical: an incident that requires notification was not concluded to need none. (Filing nothing is
    graded by incident_reported; over-reporting by incident_conclusion.)"""
    report = _report(g, item)
    if expected != "breach" or report is None:
        return Outcome(True)
    ok = report["conclusion"] == "breach"
    return Outcome(ok, "" if ok else f"Concluded “{report['conclusion']}”: the affected people would not be told.")


@check
def privacy_officer_notified(g: GradingInput, item: str) -> Outcome:
    """The inbox item was routed to the privacy officer with a note."""
    hit = any(e["kind"] == "privacy_officer_notified" and e["target"] == f"inbox:{item}" for e in g.log)
    return Outcome(hit, "" if hit else "The privacy officer was not told.")


# ---- chart access outside the work queue ---------------------------------------------------------


@check
def no_chart_view_of(g: GradingInput, patients: list) -> Outcome:
    """None of `patients` had their chart opened, by any route (break-the-glass included): a view without a
    documented need (164.502(b); 164.530(e) sanctions)."""
    keys = {resolve_patient(g, ref) for ref in patients} - {None}
    views = [e for e in g.log if e["kind"] in ("chart_view", "break_glass") and e["patient"] in keys]
    return Outcome(not views, f"{len(views)} access(es) to a chart you had no need to see." if views else "")


@check
def break_glass_used(g: GradingInput, patient, reasons: list[str] | None = None) -> Outcome:
    """Emergency access to the patient's chart was requested with a reason the policy accepts (one of
    `reasons` if given) and a justification."""
    key = resolve_patient(g, patient)
    grants = _grants(g, key)
    if not grants:
        return Outcome(False, "Emergency access was not requested for the patient.")
    accepted = set(reasons or JUSTIFIED) & JUSTIFIED
    bad = [x for x in grants if x["reason"] not in accepted]
    if bad:
        return Outcome(False, f"Reason given: “{REASONS[bad[0]['reason']].label}”. {REASONS[bad[0]['reason']].why}")
    short = [x for x in grants if len(x["justification"].strip()) < MIN_JUSTIFICATION_CHARS]
    return Outcome(not short, "The justification does not say who needs what and why now." if short else "")


@check
def break_glass_scope(g: GradingInput, patient, allowed: list[str]) -> Outcome:
    """Every emergency grant on the patient opened only sections in `allowed` (minimum necessary)."""
    key = resolve_patient(g, patient)
    grants = _grants(g, key)
    if not grants:
        return Outcome(False, "Emergency access was not requested for the patient.")
    extra = sorted({s for x in grants for s in x["sections"]} - set(allowed))
    return Outcome(not extra, f"Opened more than the emergency needed: {', '.join(extra)}." if extra else "")


@check
def break_glass_notified(g: GradingInput, patient) -> Outcome:
    """The supervisor was notified of each emergency access to the patient's chart (the log records it)."""
    key = resolve_patient(g, patient)
    rows = [e for e in g.log if e["kind"] == "break_glass" and e["patient"] == key]
    if not rows:
        return Outcome(False, "Emergency access was not requested, so no supervisor was notified.")
    ok = all((e["after"] or {}).get("supervisor_notified") for e in rows)
    return Outcome(ok, "" if ok else "A supervisor was not notified.")


@check
def break_glass_justified(g: GradingInput) -> Outcome:
    """Critical: no emergency access was taken for a reason the policy does not accept (personal interest,
    covering a queue, a billing question)."""
    bad = [x for x in _grants(g) if x["reason"] not in JUSTIFIED]
    if not bad:
        return Outcome(True)
    return Outcome(False, f"Emergency access for “{REASONS[bad[0]['reason']].label}”. {REASONS[bad[0]['reason']].why}")
