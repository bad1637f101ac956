"""Claim follow-up checks: the denial work queue (P4), corrected and void claims (B5), the claim form
box by box (B2), defects found in a claim batch (B4) and secondary claims (B6).

Claims are named by the scenario's key for them (setup `claims: - key: ...`); a claim made from one
(its replacement, void or secondary claim) is found through the links in `g.claims["links"]`.
"""

from decimal import Decimal

from ..billing.denials import APPEAL_DOCUMENTS, APPEAL_REQUIRES, QUEUE_ACTION_LABELS, QueueAction, denial_rule
from .core import GradingInput, Outcome, check


def _claim(g: GradingInput, key: str) -> dict | None:
    """The original claim the scenario seeded under `key` (the first claim with that key)."""
    return next((c for c in g.claims.get("claims", []) if c["key"] == key), None)


def _by_number(g: GradingInput) -> dict[str, dict]:
    return {c["number"]: c for c in g.claims.get("claims", [])}


def _derived(g: GradingInput, number: str, kind: str) -> list[dict]:
    claims = _by_number(g)
    return [
        claims[link["claim"]] for link in g.claims.get("links", []) if link["source"] == number and link["kind"] == kind
    ]


def _remittance(g: GradingInput, number: str) -> dict | None:
    return next((r for r in g.billing.get("remittances", []) if r["claim"] == number), None)


def _label(action: str) -> str:
    try:
        label = QUEUE_ACTION_LABELS[QueueAction(action)]
        return label[:1].lower() + label[1:]
    except ValueError:
        return action


# ---- P4 ------------------------------------------------------------------------------------------


@check
def denial_action(g: GradingInput, claim: str, code: str, actions: list[str] | None = None) -> Outcome:
    """The denial `code` (e.g. "CO-197") on the claim seeded as `claim` was worked with a right action:
    one of `actions`, or else one the oracle (billing.denials) accepts. An appeal must attach what the
    reason needs (e.g. the retro-authorization for CO-197)."""
    original = _claim(g, claim)
    if original is None:
        return Outcome(False, f"No claim {claim} in this shift.")
    group, _, carc = code.partition("-")
    rule = denial_rule(group, carc)
    right = set(actions) if actions else {a.value for a in rule.actions}
    work = [w for w in g.claims.get("denial_work", []) if w["claim"] == original["number"] and w["code"] == code]
    if not work:
        return Outcome(False, f"The {code} denial on claim {original['number']} was not worked. {rule.rule}")
    done = work[0]
    if done["action"] not in right:
        return Outcome(False, f"You chose to {_label(done['action'])}; {code}: {rule.rule}")
    if done["action"] == QueueAction.APPEAL:
        missing = APPEAL_REQUIRES.get(carc, set()) - set(done["details"].get("documents", []))
        if missing:
            names = ", ".join(APPEAL_DOCUMENTS[m] for m in sorted(missing))
            return Outcome(False, f"The appeal was sent without: {names}.")
    return Outcome(True, f"{code}: {_label(done['action'])}.")


# ---- B5 ------------------------------------------------------------------------------------------


@check
def replacement_claim(g: GradingInput, claim: str, fixed: dict, paid: bool = True) -> Outcome:
    """A replacement (frequency 7) of the claim seeded as `claim` went out quoting the payer's claim
    number of the original in box 22, with the boxes in `fixed` (member_id, group_number,
    prior_authorization, diagnoses) set as given and every other box unchanged; with `paid`, the payer
    accepted it (not denied)."""
    original = _claim(g, claim)
    if original is None:
        return Outcome(False, f"No claim {claim} in this shift.")
    sent = [c for c in _derived(g, original["number"], "replacement") if c["status"] != "draft"]
    if not sent:
        return Outcome(False, f"No corrected claim for {original['number']} was sent.")
    new = sent[-1]
    if new["frequency"] != "7":
        return Outcome(False, f"Claim {new['number']} went out with frequency {new['frequency']}, not 7 (replacement).")
    remit = _remittance(g, original["number"])
    pcn = remit["data"]["claims"][0]["payer_claim_number"] if remit else ""
    if new["original_ref"] != pcn:
        return Outcome(False, f"Box 22 quotes {new['original_ref'] or '(nothing)'}; the payer's claim number is {pcn}.")
    wrong = [f"{box}: {new[box]!r}, expected {value!r}" for box, value in fixed.items() if new[box] != value]
    if wrong:
        return Outcome(False, "Not corrected: " + "; ".join(wrong) + ".")
    changed = [
        box
        for box in ("member_id", "group_number", "prior_authorization", "diagnoses", "payer")
        if box not in fixed and new[box] != original[box]
    ]
    lines = {}
    for line in g.claims.get("lines", []):
        lines.setdefault(line["claim"], []).append((line["code"], line["modifiers"], line["pointers"]))
    if "lines" not in fixed and lines.get(new["number"]) != lines.get(original["number"]):
        changed.append("service lines (24D/24E)")
    if changed:
        return Outcome(False, f"Only the fixed fields may change; also changed: {', '.join(changed)}.")
    if paid and new["status"] == "denied":
        return Outcome(False, f"The payer denied the replacement {new['number']} too.")
    return Outcome(True, f"Replacement {new['number']} replaces {pcn}.")


@check
def no_duplicate_resubmission(g: GradingInput, claim: str) -> Outcome:
    """The corrected claim was not sent as a new original (frequency 1): the payer denies that as a
    duplicate (CARC 18) of the claim it already has."""
    original = _claim(g, claim)
    if original is None:
        return Outcome(True)
    again = [
        c for c in _derived(g, original["number"], "replacement") if c["frequency"] == "1" and c["status"] != "draft"
    ]
    return Outcome(not again, f"Claim {again[0]['number']} was sent as a new original." if again else "")


@check
def claim_voided(g: GradingInput, claim: str) -> Outcome:
    """A void (frequency 8) of the claim seeded as `claim` went out quoting the payer's claim number."""
    original = _claim(g, claim)
    if original is None:
        return Outcome(False, f"No claim {claim} in this shift.")
    voids = _derived(g, original["number"], "void")
    if not voids:
        return Outcome(False, f"Claim {original['number']} was not voided.")
    remit = _remittance(g, original["number"])
    pcn = remit["data"]["claims"][0]["payer_claim_number"] if remit else ""
    return Outcome(voids[0]["original_ref"] == pcn, f"Box 22 quotes {voids[0]['original_ref']}; expected {pcn}.")


# ---- B2 ------------------------------------------------------------------------------------------


@check
def claim_boxes(g: GradingInput, claim: str, boxes: dict, sent: bool = True) -> Outcome:
    """The claim seeded as `claim` (as sent, when `sent`) has these boxes: "1a" member ID, "11" group
    number, "21" diagnoses (list, in order), "23" prior authorization, "24D" modifiers per line
    (list of lists), "24E" pointers per line (list of lists)."""
    original = _claim(g, claim)
    if original is None:
        return Outcome(False, f"No claim {claim} in this shift.")
    if sent and original["status"] == "draft":
        return Outcome(False, f"Claim {original['number']} was not sent.")
    lines = [ln for ln in g.claims.get("lines", []) if ln["claim"] == original["number"]]
    values = {
        "1a": original["member_id"], "11": original["group_number"], "21": original["diagnoses"],
        "23": original["prior_authorization"], "24D": [ln["modifiers"] for ln in lines],
        "24E": [ln["pointers"] for ln in lines],
    }  # fmt: skip
    wrong = [f"box {box}: {values[box]!r}, expected {value!r}" for box, value in boxes.items() if values[box] != value]
    return Outcome(not wrong, "; ".join(wrong))


# ---- B4 ------------------------------------------------------------------------------------------


@check
def defects_marked(
    g: GradingInput, expected: dict, min_precision: float = 0.8, min_recall: float = 0.8
) -> Outcome:  # fmt: skip
    """The defects marked on the batch, scored by precision (marked ones that are real) and recall (real
    ones that were marked) against `expected`: {claim key: [defect keys]}."""
    number_to_key = {c["number"]: c["key"] for c in g.claims.get("claims", [])}
    marked = {(number_to_key[m["claim"]], m["defect"]) for m in g.claims.get("defects", [])}
    seeded = {(key, defect) for key, defects in expected.items() for defect in defects}
    hits = marked & seeded
    precision = Decimal(len(hits)) / len(marked) if marked else Decimal(0)
    recall = Decimal(len(hits)) / len(seeded) if seeded else Decimal(1)
    missed = sorted(seeded - marked)
    false = sorted(marked - seeded)
    detail = f"Precision {precision:.0%}, recall {recall:.0%}."
    if missed:
        detail += " Missed: " + ", ".join(f"{k} {d}" for k, d in missed) + "."
    if false:
        detail += " Not a defect: " + ", ".join(f"{k} {d}" for k, d in false) + "."
    return Outcome(precision >= Decimal(str(min_precision)) and recall >= Decimal(str(min_recall)), detail)


@check
def batch_not_sent_with(g: GradingInput, defects: list[str]) -> Outcome:
    """No claim went out while the scrubber still found one of `defects` on it."""
    sent = [
        (c["number"], p["key"])
        for c in g.claims.get("claims", [])
        if c["scrub"]
        for p in c["scrub"]
        if p["key"] in defects
    ]
    return Outcome(not sent, "; ".join(f"{n} sent with {k}" for n, k in sent))


# ---- B6 ------------------------------------------------------------------------------------------


@check
def secondary_claim(g: GradingInput, claim: str, payer: str, paid: str | None = None) -> Outcome:
    """After the primary's remittance for the claim seeded as `claim` was posted, a secondary claim went
    to `payer`, was adjudicated as secondary (CLP02 = 2), and its remittance was posted (paying `paid`)."""
    original = _claim(g, claim)
    if original is None:
        return Outcome(False, f"No claim {claim} in this shift.")
    primary = _remittance(g, original["number"])
    if not primary or not primary["posted"]:
        return Outcome(False, "The primary's remittance was not posted first.")
    secondaries = _derived(g, original["number"], "secondary")
    if not secondaries:
        return Outcome(False, "No secondary claim was created.")
    second = secondaries[0]
    if second["payer"] != payer:
        return Outcome(False, f"The secondary claim went to {second['payer']}, not {payer}.")
    remit = _remittance(g, second["number"])
    if remit is None:
        return Outcome(False, f"Secondary claim {second['number']} was not sent.")
    status = remit["data"]["claims"][0]["status"]
    if status != "2":
        return Outcome(False, f"The payer answered with claim status {status}, not 2 (processed as secondary).")
    if not remit["posted"]:
        return Outcome(False, "The secondary payer's remittance was not posted.")
    total = sum((Decimal(ln["paid"]) for ln in remit["data"]["claims"][0]["lines"]), Decimal(0))
    if paid is not None and total != Decimal(paid):
        return Outcome(False, f"The secondary paid {total}; expected {paid}.")
    return Outcome(True, f"The secondary paid {total}.")


@check
def claim_not_insured_as(g: GradingInput, claim: str, member_id: str) -> Outcome:
    """The claim seeded as `claim` does not carry `member_id` in box 1a (a look-alike's insurance: the
    claim would bill another person's policy)."""
    original = _claim(g, claim)
    wrong = original is not None and original["member_id"].replace(" ", "").upper() == member_id.upper()
    return Outcome(not wrong, f"Box 1a carries {member_id}, another patient's member ID." if wrong else "")
