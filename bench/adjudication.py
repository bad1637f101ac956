"""Adjudicate and post a 500-claim batch; print throughput. Not a test.

Run from the repository root:  .venv/bin/python -m bench.adjudication [claims] [seed]
"""

from __future__ import annotations

import random
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from simulations.billing.adjudication import adjudicate, deductible_applied, remittance_build
from simulations.billing.claims import Address, Claim, Person, Provider, Relationship, ServiceLine, Sex
from simulations.billing.codes import PROCEDURE_CODES, ServiceKind, npi_check_digit
from simulations.billing.ledger import Charge, Ledger
from simulations.billing.plans import FrequencyLimit, PlanRules
from simulations.billing.posting import remittance_post

ADDRESS = Address(line1="100 Simulation Way", city="Springfield", state="IL", zip_code="627010001")
PRACTICE = Provider(
    name="SIMULATED FAMILY PRACTICE",
    npi="123456789" + npi_check_digit("123456789"),
    address=ADDRESS,
    tax_id="991234567",
)
RECEIVED = date(2026, 6, 30)
CODES = [c for c, p in PROCEDURE_CODES.items() if not p.sex]
DIAGNOSES = ["J20.9", "R05.1", "E11.9", "I10", "Z23", "Z00.00", "M54.50", "K21.9"]


def build_batch(count: int, seed: int) -> tuple[list[Claim], dict[str, PlanRules]]:
    rng = random.Random(seed)
    plans: dict[str, PlanRules] = {}
    claims: list[Claim] = []
    for member in range(max(count // 5, 1)):
        member_id = f"SIMW{member:09d}"
        plans[member_id] = PlanRules(
            payer_id="SIMPAYER1",
            payer_name="SIMULATED HEALTH PLAN",
            member_id=member_id,
            effective_from=date(2026, 1, 1),
            effective_to=rng.choice([None, None, None, date(2026, 4, 30)]),
            covered_codes=frozenset(CODES) - {"A4565"},
            auth_required_codes=frozenset({"J3301"}),
            timely_filing_days=rng.choice([90, 180, 365]),
            contracted_fees={c: (PROCEDURE_CODES[c].fee * Decimal("0.7")).quantize(Decimal("0.01")) for c in CODES},
            deductible_remaining=Decimal(rng.choice(["0.00", "250.00", "1000.00"])),
            copays={ServiceKind.OFFICE_VISIT: Decimal(rng.choice(["0.00", "20.00", "35.00"]))},
            coinsurance_percent=Decimal(rng.choice([0, 10, 20, 30])),
            frequency_limits={"G0439": FrequencyLimit(count=1, days=365)},
            supporting_diagnoses={"SIM-IMM-ADMIN": ("Z23",), "G0008": ("Z23",)},
        )
    members = sorted(plans)
    for number in range(count):
        member_id = rng.choice(members)
        patient = Person(
            last_name=f"PATIENT{member_id[-4:]}",
            first_name="SIM",
            birth_date=date(1970, 1, 1) + timedelta(days=rng.randrange(15000)),
            sex=rng.choice([Sex.FEMALE, Sex.MALE]),
            address=ADDRESS,
        )
        dos = date(2026, 1, 2) + timedelta(days=rng.randrange(170))
        diagnoses = tuple(rng.sample(DIAGNOSES, rng.randint(1, 4)))
        lines = []
        for index in range(rng.randint(1, 4)):
            code = rng.choice(CODES)
            units = rng.randint(1, 3) if PROCEDURE_CODES[code].kind is ServiceKind.DRUG else 1
            lines.append(
                ServiceLine(
                    line_id=f"C{number}L{index}",
                    service_date=dos,
                    code=code,
                    charge=PROCEDURE_CODES[code].fee * units,
                    units=units,
                    pointers=tuple("ABCD"[: len(diagnoses)]),
                )
            )
        claims.append(
            Claim(
                claim_id=f"CLM{number:06d}",
                patient=patient,
                insured=patient,
                relationship=Relationship.SELF,
                member_id=member_id,
                group_number="GRP5001",
                payer_id="SIMPAYER1",
                payer_name="SIMULATED HEALTH PLAN",
                billing_provider=PRACTICE,
                diagnoses=diagnoses,
                lines=tuple(lines),
                prior_authorization=rng.choice(["", "AUTH1"]),
            )
        )
    return claims, plans


def main(count: int = 500, seed: int = 2026) -> None:
    claims, plans = build_batch(count, seed)
    ledgers: dict[str, Ledger] = defaultdict(Ledger)
    for claim in claims:
        for line in claim.lines:
            ledgers[claim.member_id].post(
                Charge(
                    entry_id=line.line_id,
                    posted_on=line.service_date,
                    amount=line.charge,
                    service_date=line.service_date,
                    code=line.code,
                    claim_id=claim.claim_id,
                )
            )

    history: dict[str, list] = defaultdict(list)
    started = time.perf_counter()
    results = []
    for claim in claims:
        plan = plans[claim.member_id]
        result = adjudicate(claim, plan, received_on=RECEIVED, history=history[claim.member_id])
        plans[claim.member_id] = plan.after_deductible(deductible_applied(result))
        history[claim.member_id].append(result)
        results.append(result)
    adjudicated = time.perf_counter() - started

    started = time.perf_counter()
    postings = 0
    for member_id, member_results in history.items():
        remittance = remittance_build(
            member_results,
            payer_id="SIMPAYER1",
            payer_name="SIMULATED HEALTH PLAN",
            payee_name=PRACTICE.name,
            payee_npi=PRACTICE.npi,
            trace_number=f"EFT{member_id}",
            paid_on=RECEIVED,
        )
        postings += len(remittance_post(ledgers[member_id], remittance).entries)
    posted = time.perf_counter() - started

    unbalanced = sum(1 for r in results if r.balancing_errors())
    reasons = sorted({f"{a.group}-{a.carc}" for r in results for ln in r.lines for a in ln.adjustments})
    lines = sum(len(r.lines) for r in results)
    print(f"claims: {len(results)}  lines: {lines}  unbalanced: {unbalanced}")
    print(f"adjudicated: {len(results) / adjudicated:,.0f} claims/s ({adjudicated * 1000:.1f} ms)")
    print(f"posted: {len(results) / posted:,.0f} claims/s ({posted * 1000:.1f} ms, {postings} ledger entries)")
    print(
        f"paid: {sum(r.paid for r in results)}  patient responsibility: {sum(r.patient_responsibility for r in results)}"
    )
    print(f"adjustment reasons seen: {', '.join(reasons)}")
    print(f"patient balance total: {sum(ledger.patient_balance() for ledger in ledgers.values())}")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
