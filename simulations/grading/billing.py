"""Billing checks: the office's fee sheet → claim → remittance → ledger."""

from decimal import Decimal

from .core import GradingInput, Outcome, check


def _claims(g: GradingInput, patient: str) -> list[dict]:
    return [c for c in g.billing.get("claims", []) if c["patient"] == patient]


def _balances(g: GradingInput, patient: str) -> tuple[Decimal, Decimal]:
    """(insurance, patient) balance of the patient's account, from its entries (billing.ledger's rules)."""
    insurance = owed = Decimal("0.00")
    for e in g.billing.get("ledger", []):
        if e["patient"] != patient:
            continue
        amount = Decimal(str(e["amount"]))
        if e["kind"] in ("charge", "refund"):
            insurance, owed = (insurance + amount, owed) if e["party"] == "insurance" else (insurance, owed + amount)
        elif e["kind"] == "payment":
            insurance, owed = (insurance - amount, owed) if e["party"] == "insurance" else (insurance, owed - amount)
        elif e["kind"] == "adjustment":
            insurance -= amount
        elif e["kind"] == "transfer":
            insurance, owed = insurance - amount, owed + amount
    return insurance, owed


@check
def claim_lines_match(g: GradingInput, patient: str, lines: list[dict]) -> Outcome:
    """The patient's (last) claim has exactly `lines`: [{code, units, dx: [ICD-10-CM the line points to]}],
    in any order, each line's pointers naming exactly those diagnoses (primary first)."""
    claims = _claims(g, patient)
    if not claims:
        return Outcome(False, "No charges were captured for the visit.")
    got = sorted((ln["code"], ln["units"], tuple(ln["dx"])) for ln in claims[-1]["lines"])
    want = sorted((ln["code"], int(ln["units"]), tuple(ln["dx"])) for ln in lines)
    if got == want:
        return Outcome(True)
    shown = "; ".join(f"{code} × {units} → {', '.join(dx)}" for code, units, dx in got)
    return Outcome(False, f"The claim has: {shown}.")


@check
def claim_clean(g: GradingInput, patient: str) -> Outcome:
    """The patient's claim was submitted, and the scrubber found nothing wrong with it when it was sent."""
    sent = [c for c in _claims(g, patient) if c["scrub"] is not None]
    if not sent:
        return Outcome(False, "The claim was not submitted.")
    problems = sent[-1]["scrub"]
    detail = "; ".join(f"box {p['box']}: {p['reason']}" for p in problems)
    return Outcome(not problems, detail)


@check
def remittance_posted(g: GradingInput, patient: str) -> Outcome:
    """Every remittance for the patient's claims was posted to the ledger (and there is one)."""
    remits = [r for r in g.billing.get("remittances", []) if r["patient"] == patient]
    if not remits:
        return Outcome(False, "No remittance was received: the claim was not submitted.")
    waiting = [r["claim"] for r in remits if not r["posted"]]
    return Outcome(not waiting, f"Not posted: {', '.join(waiting)}." if waiting else "")


@check
def ledger_balance(g: GradingInput, patient: str, patient_balance: str, insurance_balance: str) -> Outcome:
    """The patient's account ends with the expected patient and insurance balances, to the cent."""
    insurance, owed = _balances(g, patient)
    ok = insurance == Decimal(insurance_balance) and owed == Decimal(patient_balance)
    return Outcome(
        ok, f"Patient owes {owed}, insurance {insurance}; expected {patient_balance} and {insurance_balance}."
    )


@check
def no_co_to_patient(g: GradingInput, patient: str) -> Outcome:
    """Nothing beyond the payer's patient-responsibility (PR) amounts was moved to the patient: a
    contractual (CO) amount billed to the patient is balance billing."""
    pr_by_line: dict[str, Decimal] = {}
    for remit in g.billing.get("remittances", []):
        for claim in remit["data"]["claims"]:
            for line in claim["lines"]:
                pr_by_line[line["line_id"]] = sum(
                    (Decimal(a["amount"]) for a in line["adjustments"] if a["group"] == "PR"), Decimal(0)
                )
    moved: dict[str, Decimal] = {}
    for e in g.billing.get("ledger", []):
        if e["patient"] == patient and e["kind"] == "transfer":
            if e["group"] != "PR":
                return Outcome(False, f"A {e['group']}-{e['carc']} amount was moved to the patient.")
            moved[e["charge_id"]] = moved.get(e["charge_id"], Decimal(0)) + Decimal(str(e["amount"]))
    over = {line: amount for line, amount in moved.items() if amount > pr_by_line.get(line, Decimal(0))}
    detail = "; ".join(f"line {line}: {amount} billed, PR {pr_by_line.get(line, 0)}" for line, amount in over.items())
    return Outcome(not over, detail)
