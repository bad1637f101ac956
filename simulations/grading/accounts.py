"""Patient-account checks: copays at check-in, the daily deposit, statements, refunds, payment plans
and an ERA posted by hand (tasks R6, P1, P3, P6, P7, P8). They read `g.accounts`
(accounts_selectors.accounts_grading_data) and the ledger in `g.billing`."""

from decimal import Decimal

from ..billing.posting import WRITE_OFF_ACTIONS, denial_action
from .core import GradingInput, Outcome, check, resolve_patient

ZERO = Decimal("0.00")
ACCOUNT_CHECKS: set[str] = set()


def _account_check(function):
    ACCOUNT_CHECKS.add(function.__name__)
    return check(function)


def _name(g: GradingInput, key: str | None) -> str:
    p = g.patients.get(key or "", {})
    return f"{p.get('first_name', '')} {p.get('last_name', '')}".strip() or str(key)


@_account_check
def copay_collected(g: GradingInput, visits: list[dict]) -> Outcome:
    """Each listed visit ({appointment: key, amount, method, detail?}) had its copay taken at check-in:
    one receipt, the right amount, by the method the patient used (check number / card last four)."""
    by_visit: dict[str, list[dict]] = {}
    for receipt in g.accounts.get("receipts", []):
        if receipt["appointment"]:
            by_visit.setdefault(receipt["appointment"], []).append(receipt)
    problems = []
    for visit in visits:
        receipts = by_visit.get(visit["appointment"], [])
        who = _name(g, visit.get("patient"))
        if not receipts:
            problems.append(f"{who}: no copay taken at check-in")
            continue
        r = receipts[0]
        if Decimal(r["amount"]) != Decimal(str(visit["amount"])):
            problems.append(f"{who}: took {r['amount']}, the plan's copay is {visit['amount']}")
        if r["method"] != visit["method"]:
            problems.append(f"{who}: recorded as {r['method']}, paid by {visit['method']}")
        elif visit.get("detail") and r["detail"] != str(visit["detail"]):
            problems.append(f"{who}: {r['method']} reference {r['detail'] or '(none)'}, should be {visit['detail']}")
    return Outcome(not problems, "; ".join(problems) + ("." if problems else ""))


@_account_check
def deposit_reconciled(g: GradingInput, cash: str, check: str, card: str) -> Outcome:
    """The last deposit count of the day matches the day's postings by method, to the cent."""
    counts = g.accounts.get("deposit_counts", [])
    if not counts:
        return Outcome(False, "The deposit was not counted.")
    last = counts[-1]
    want = {"cash": Decimal(cash), "check": Decimal(check), "card": Decimal(card)}
    wrong = [
        f"{m}: counted {last['counted'].get(m, '0.00')}, posted {want[m]}"
        for m in want
        if Decimal(last["counted"].get(m, "0")) != want[m]
    ]
    if not wrong and not last["balanced"]:
        wrong.append("the count does not match the day sheet")
    return Outcome(not wrong, "; ".join(wrong) + ("." if wrong else ""))


@_account_check
def statement_sent_only_to(g: GradingInput, patients: list) -> Outcome:
    """Statements went to exactly these accounts (patient balance > 0 and no insurance pending)."""
    want = {resolve_patient(g, ref) for ref in patients}
    sent = {s["patient"] for s in g.accounts.get("statements", [])}
    missing, extra = sorted(want - sent), sorted(sent - want)
    parts = []
    if missing:
        parts.append("no statement for " + ", ".join(_name(g, k) for k in missing))
    if extra:
        parts.append("statement sent to " + ", ".join(_name(g, k) for k in extra) + " (should not get one)")
    return Outcome(not parts, "; ".join(parts) + ("." if parts else ""))


@_account_check
def statement_aging(g: GradingInput, patient, buckets: dict) -> Outcome:
    """The patient's statement shows the open balance in the right aging buckets (0-30/31-60/61-90/90+)."""
    key = resolve_patient(g, patient)
    sent = [s for s in g.accounts.get("statements", []) if s["patient"] == key]
    if not sent:
        return Outcome(False, f"No statement for {_name(g, key)}.")
    got = sent[-1]["aging"]
    ok = all(Decimal(got.get(b, "0")) == Decimal(str(v)) for b, v in buckets.items())
    shown = ", ".join(f"{b}: {got.get(b)}" for b in ("0-30", "31-60", "61-90", "90+"))
    return Outcome(ok, "" if ok else f"Statement aging {shown}.")


@_account_check
def refund_correct(g: GradingInput, patient, party: str, amount: str) -> Outcome:
    """The credit balance was refunded to the party that overpaid (payer or patient), in full, once."""
    key = resolve_patient(g, patient)
    refunds = [e for e in g.billing.get("ledger", []) if e["patient"] == key and e["kind"] == "refund"]
    if not refunds:
        return Outcome(False, "No refund was issued.")
    total = {
        p: sum((Decimal(str(e["amount"])) for e in refunds if e["party"] == p), ZERO) for p in ("insurance", "patient")
    }
    ok = total[party] == Decimal(amount) and sum(total.values()) == Decimal(amount)
    shown = ", ".join(f"{v} to the {p}" for p, v in total.items() if v)
    return Outcome(ok, "" if ok else f"Refunded {shown}; the credit was {amount} held for the {party}.")


@_account_check
def payment_plan_sums(g: GradingInput, patient, balance: str, count: int | None = None) -> Outcome:
    """The patient has a plan whose instalments add up to the balance to the cent (last one absorbing the
    rounding), with `count` instalments when given."""
    key = resolve_patient(g, patient)
    plans = [p for p in g.accounts.get("plans", []) if p["patient"] == key]
    if not plans:
        return Outcome(False, f"No payment plan for {_name(g, key)}.")
    plan = plans[-1]
    amounts = [Decimal(i["amount"]) for i in plan["schedule"]]
    problems = []
    if sum(amounts, ZERO) != Decimal(balance):
        problems.append(f"the instalments add up to {sum(amounts, ZERO)}, the balance is {balance}")
    if count is not None and len(amounts) != int(count):
        problems.append(f"{len(amounts)} instalments, the patient asked for {count}")
    if len(set(amounts[:-1])) > 1 or (len(amounts) > 1 and amounts[-1] < amounts[0]):
        problems.append("instalments should be equal, the last one absorbing the rounding")
    return Outcome(not problems, "; ".join(problems) + ("." if problems else ""))


@_account_check
def era_posted_as_remitted(g: GradingInput, patient) -> Outcome:
    """Each line of the patient's hand-posted ERA: the payment as paid, the CO/OA/PI adjustments whose
    action is a write-off written off (a denial to work stays open), the PR amounts (and only those) moved
    to the patient, to the cent."""
    key = resolve_patient(g, patient)
    remits = [r for r in g.billing.get("remittances", []) if r["patient"] == key and r["data"].get("posting")]
    if not remits or not all(r["posted"] for r in remits):
        return Outcome(False, "The ERA was not posted.")
    booked: dict[tuple[str, str], Decimal] = {}
    for e in g.billing.get("ledger", []):
        if e["patient"] == key and e["kind"] in ("payment", "adjustment", "transfer") and e["charge_id"]:
            slot = (e["charge_id"], e["kind"])
            booked[slot] = booked.get(slot, ZERO) + Decimal(str(e["amount"]))
    problems = []
    for remit in remits:
        for claim in remit["data"]["claims"]:
            for line in claim["lines"]:
                pr = sum((Decimal(a["amount"]) for a in line["adjustments"] if a["group"] == "PR"), ZERO)
                # Denials left open to be worked (corrected, appealed...) are not written off.
                other = sum(
                    (Decimal(a["amount"]) for a in line["adjustments"]
                     if a["group"] != "PR" and denial_action(a["group"], a["carc"]) in WRITE_OFF_ACTIONS),
                    ZERO,
                )  # fmt: skip
                want = {"payment": Decimal(line["paid"]), "adjustment": other, "transfer": pr}
                words = {"payment": "paid", "adjustment": "written off", "transfer": "moved to the patient"}
                for kind, amount in want.items():
                    got = booked.get((line["line_id"], kind), ZERO)
                    if got != amount:
                        problems.append(f"line {line['line_id']} {words[kind]} {got}, the ERA says {amount}")
    return Outcome(not problems, "; ".join(problems) + ("." if problems else ""))
