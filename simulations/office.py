"""The office template: validation of the shipped data and the rules snapshot a shift keeps.

The template is plain data (content/office/*.yaml, loaded into `OfficeTemplate.data`). A shift copies
the rules part (`office_rules`) when it starts, so the calendar and the grader read the rules from the
shift without a query and a later template edit never changes a running or finished shift.
"""

from datetime import date, time

import simple_icd_10_cm as icd

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
RELATIONSHIPS = {"self", "spouse", "child", "other"}


class OfficeError(ValueError):
    pass


def parse_time(value: str) -> time:
    try:
        hours, minutes = str(value).split(":")
        return time(int(hours), int(minutes))
    except (ValueError, TypeError) as exc:
        raise OfficeError(f"not a time (HH:MM): {value!r}") from exc


def parse_date(value) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise OfficeError(f"not a date (YYYY-MM-DD): {value!r}") from exc


def _need(item: dict, keys: list[str], where: str) -> None:
    if not isinstance(item, dict):
        raise OfficeError(f"{where}: expected a mapping")
    missing = [k for k in keys if item.get(k) in (None, "")]
    if missing:
        raise OfficeError(f"{where}: missing {', '.join(missing)}")


def icd_code_problem(code: str) -> str | None:
    """Why `code` cannot go on a problem list or claim, or None: it must be a billable ICD-10-CM leaf."""
    if not icd.is_valid_item(code):
        return f"{code} is not an ICD-10-CM code"
    if not icd.is_leaf(code):
        return f"{code} is a category header, not a billable code"
    return None


def plan_validate(plan: dict, where: str) -> None:
    """A payer's plan rules (what billing.plans.PlanRules needs): known codes and kinds, amounts as
    strings with two places, a coinsurance percentage."""
    from decimal import Decimal, InvalidOperation

    from .billing.codes import PROCEDURE_CODES, ServiceKind
    from .billing.money import MoneyError, money

    _need(plan, ["payer_id", "coverage_from", "timely_filing_days", "contracted_fees"], f"{where} plan")
    parse_date(plan["coverage_from"])
    try:
        for amount in [plan.get("deductible_remaining", "0"), *(plan.get("copays") or {}).values()]:
            money(str(amount))
        for code, fee in plan["contracted_fees"].items():
            if code not in PROCEDURE_CODES:
                raise OfficeError(f"{where} plan: {code} is not on the practice code list")
            if money(str(fee)) <= 0:
                raise OfficeError(f"{where} plan: the contracted fee for {code} must be positive")
        percent = Decimal(str(plan.get("coinsurance_percent", 0)))
    except (MoneyError, InvalidOperation) as exc:
        raise OfficeError(f"{where} plan: {exc}") from exc
    if not 0 <= percent <= 100:
        raise OfficeError(f"{where} plan: coinsurance is a percentage between 0 and 100")
    if int(plan["timely_filing_days"]) <= 0:
        raise OfficeError(f"{where} plan: the filing limit is a positive number of days")
    kinds = {k.value for k in ServiceKind}
    unknown = set(plan.get("copays") or {}) - kinds
    if unknown:
        raise OfficeError(f"{where} plan: unknown service kinds for copays {sorted(unknown)}")
    unknown = set(plan.get("auth_required") or []) - set(PROCEDURE_CODES)
    if unknown:
        raise OfficeError(f"{where} plan: unknown codes needing authorization {sorted(unknown)}")


def office_validate(data: dict) -> None:
    """Check the whole template: references between sections, times, dates, ICD-10-CM codes."""
    if not isinstance(data, dict):
        raise OfficeError("the office template must be a mapping")
    _need(data, ["practice", "locations", "providers", "appointment_types", "payers", "patients"], "office")
    locations = {loc["key"] for loc in data["locations"]}
    providers: set[str] = set()
    for provider in data["providers"]:
        where = f"provider {provider.get('key', '?')}"
        _need(provider, ["key", "name", "location", "hours"], where)
        if provider["location"] not in locations:
            raise OfficeError(f"{where}: unknown location {provider['location']!r}")
        for day, span in provider["hours"].items():
            if day not in WEEKDAYS:
                raise OfficeError(f"{where}: unknown weekday {day!r}")
            if parse_time(span[0]) >= parse_time(span[1]):
                raise OfficeError(f"{where}: {day} opens after it closes")
        if provider.get("lunch"):
            parse_time(provider["lunch"][0]), parse_time(provider["lunch"][1])
        for block in provider.get("vacation") or []:
            if parse_date(block["start"]) > parse_date(block["end"]):
                raise OfficeError(f"{where}: vacation ends before it starts")
        providers.add(provider["key"])
    for kind in data["appointment_types"]:
        where = f"appointment type {kind.get('key', '?')}"
        _need(kind, ["key", "name", "minutes", "providers"], where)
        if int(kind["minutes"]) <= 0 or int(kind["minutes"]) % 15:
            raise OfficeError(f"{where}: minutes must be a positive multiple of 15")
        unknown = set(kind["providers"]) - providers
        if unknown:
            raise OfficeError(f"{where}: unknown providers {sorted(unknown)}")
    for payer in data["payers"]:
        if payer.get("plan") is not None:
            plan_validate(payer["plan"], f"payer {payer.get('key', '?')}")
    billing = (data["practice"] or {}).get("billing")
    if billing is not None:
        from .billing.codes import npi_is_valid

        _need(billing, ["npi", "tax_id", "address", "city", "state", "zip"], "practice billing")
        if not npi_is_valid(str(billing["npi"])):
            raise OfficeError(f"practice billing: NPI {billing['npi']} fails the check digit")
    payers = {payer["key"] for payer in data["payers"]}
    keys: set[str] = set()
    for patient in data["patients"]:
        where = f"patient {patient.get('key', '?')}"
        _need(patient, ["key", "first_name", "last_name", "dob", "sex"], where)
        if patient["key"] in keys:
            raise OfficeError(f"{where}: duplicate key")
        keys.add(patient["key"])
        parse_date(patient["dob"])
        plans = patient.get("coverages") or ([patient["insurance"]] if patient.get("insurance") else [])
        if len(plans) > 2:
            raise OfficeError(f"{where}: at most two coverages (primary, secondary)")
        for plan in plans:
            if plan.get("payer") not in payers:
                raise OfficeError(f"{where}: unknown payer {plan.get('payer')!r}")
            if plan.get("relationship") not in RELATIONSHIPS:
                raise OfficeError(f"{where}: relationship must be one of {sorted(RELATIONSHIPS)}")
            if plan.get("effective_from"):
                parse_date(plan["effective_from"])
        for problem in patient.get("problems") or []:
            reason = icd_code_problem(problem.get("code", ""))
            if reason:
                raise OfficeError(f"{where}: {reason}")
    for patient in data["patients"]:
        if patient.get("guarantor") and patient["guarantor"] not in keys:
            raise OfficeError(f"patient {patient['key']}: unknown guarantor {patient['guarantor']!r}")
        for plan in patient.get("coverages") or ([patient["insurance"]] if patient.get("insurance") else []):
            if plan.get("subscriber") and plan["subscriber"] not in keys:
                raise OfficeError(f"patient {patient['key']}: unknown subscriber {plan['subscriber']!r}")


def office_rules(data: dict) -> dict:
    """The part of the template a shift snapshots: everything except the patients (they become rows)."""
    return {
        "practice": data["practice"],
        "locations": {loc["key"]: loc for loc in data["locations"]},
        "providers": {
            p["key"]: {
                **p,
                "vacation": [{**v, "start": str(v["start"]), "end": str(v["end"])} for v in p.get("vacation") or []],
            }
            for p in data["providers"]
        },
        "types": {
            t["key"]: {
                "needs_referral": False,
                "needs_prior_auth": False,
                "am_only": False,
                "daily_limit": 0,
                **t,
            }
            for t in data["appointment_types"]
        },
        "payers": {p["key"]: p for p in data["payers"]},
    }
