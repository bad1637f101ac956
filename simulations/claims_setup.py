"""Scenario setup kind `claims:`: claims the office sent before the shift began, with the payer's answer
(and its posting) already in, built through the same billing rules the screens use (tasks B2, B4, B5,
B6, P4). No action-log rows: this is the office as the trainee finds it.

    setup:
      claims:
        - key: auth                      # the scenario's name for it (in grading parameters)
          patient: harold-lee
          date: 2026-02-16               # date of service: an arrived visit that day is created
          diagnoses: [M54.50]
          lines: [{code: J3301, units: 2, pointers: [A], modifiers: []}]
          member_id: "XX1"               # optional: box 1a as it was sent (default: registration's)
          prior_authorization: ""        # optional: box 23
          received: 2026-02-20           # when the payer received it (default: date of service + 3 days)
          status: posted                 # draft | remitted (answer in, not posted) | posted (default)
          deny: {"1": CO-50}             # optional: line position -> a full denial instead of the engine's answer
      plans: {harborlight: {cob_order: 2}}           # per-payer overrides (see claims_plans.claim_plan)
      other_coverage: [{patient: harold-lee, payer: meridian, member_id: ME1, group_number: G1}]
"""

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from .billing import ledger as dl
from .billing import posting
from .billing.adjudication import adjudicate, remittance_build
from .billing.codes import PROCEDURE_CODES, GroupCode
from .billing.remittance import Cas, ClaimStatus, RemitLine
from .billing_services import claim_domain, entry_row, remittance_json
from .claims_plans import claim_plan
from .models import Appointment, Claim, ClaimLine, LedgerEntry, Patient, Remittance, Shift
from .registration import primary_coverage

STATUSES = ("draft", "remitted", "posted")


class ClaimSetupError(ValueError):
    pass


def claims_setup_validate(items: list[dict]) -> None:
    """Refuse a `claims:` setup the office could not build (called by the scenario tests and the builder)."""
    for number, item in enumerate(items, 1):
        where = f"setup claim {item.get('key', number)}"
        for name in ("key", "patient", "date", "diagnoses", "lines"):
            if not item.get(name):
                raise ClaimSetupError(f"{where}: missing {name}")
        if item.get("status", "posted") not in STATUSES:
            raise ClaimSetupError(f"{where}: status must be one of {', '.join(STATUSES)}")
        for line in item["lines"]:
            if line.get("code") not in PROCEDURE_CODES:
                raise ClaimSetupError(f"{where}: {line.get('code')} is not on the practice code list")
        for position, code in (item.get("deny") or {}).items():
            group, _, carc = str(code).partition("-")
            if group not in GroupCode.__members__ or not carc:
                raise ClaimSetupError(f"{where}: deny {position}: {code!r} is not GROUP-CARC")


def _aware(day: date, at: time = time(9, 0)) -> datetime:
    return timezone.make_aware(datetime.combine(day, at), timezone.UTC)


def claims_build(*, shift: Shift, by_key: dict[str, Patient]) -> None:
    """Create the scenario's claims, lines, charges and remittances (and post them) for the shift."""
    items = shift.variant["setup"].get("claims") or []
    claims_setup_validate(items)
    history: list = []  # the payers' earlier answers, so a repeated service is a duplicate (CARC 18)
    for number, item in enumerate(items, 1):
        _claim_build(shift=shift, patient=by_key[item["patient"]], item=item, number=number, history=history)


def _claim_build(*, shift: Shift, patient: Patient, item: dict, number: int, history: list) -> Claim:
    service_date = date.fromisoformat(str(item["date"]))
    received = date.fromisoformat(str(item.get("received") or service_date + timedelta(days=3)))
    appointment = Appointment.objects.create(
        shift=shift, key=f"claim-{item['key']}", patient=patient, provider_key=item.get("provider", "okafor"),
        type_key="follow-up", date=service_date, start=time(9, 0), minutes=15, status=Appointment.Status.ARRIVED,
        auth_number=item.get("prior_authorization", ""),
    )  # fmt: skip
    claim_number = f"C{shift.pk}-{number}"
    coverage = primary_coverage(patient)  # the seeded claim went to the patient's primary plan
    claim = Claim.objects.create(
        shift=shift, patient=patient, appointment=appointment, number=claim_number, payer_key=coverage.payer_key,
        member_id=item.get("member_id", coverage.member_id), group_number=item.get("group_number", coverage.group_number),
        relationship=coverage.relationship, diagnoses=list(item["diagnoses"]),
        prior_authorization=item.get("prior_authorization", ""), service_date=service_date,
        created_at=_aware(received - timedelta(days=1)),
    )  # fmt: skip
    lines, charges = [], []
    for position, spec in enumerate(item["lines"], 1):
        units = int(spec.get("units", 1))
        line = ClaimLine(
            shift=shift, claim=claim, line_id=f"{claim_number}-{position}", position=position, code=spec["code"],
            units=units, modifiers=list(spec.get("modifiers") or []), pointers=list(spec.get("pointers", ["A"])),
            charge=PROCEDURE_CODES[spec["code"]].fee * units,
        )  # fmt: skip
        lines.append(line)
        charges.append(
            dl.Charge(
                entry_id=line.line_id,
                posted_on=service_date,
                amount=line.charge,
                service_date=service_date,
                code=line.code,
                units=units,
                claim_id=claim_number,
            )  # fmt: skip
        )
    ClaimLine.objects.bulk_create(lines)
    ledger = dl.Ledger(charges)
    status = item.get("status", "posted")
    if status == "draft":
        LedgerEntry.objects.bulk_create([entry_row(c, shift=shift, patient=patient) for c in charges])
        return claim
    domain = claim_domain(shift=shift, claim=claim, lines=lines)
    plan = claim_plan(shift=shift, payer_key=coverage.payer_key, member_id=coverage.member_id)
    result = adjudicate(domain, plan, received_on=received, history=history)
    denials = {int(k): str(v).split("-", 1) for k, v in (item.get("deny") or {}).items()}
    if denials:
        remit_lines = list(result.lines)
        for position, (group, carc) in denials.items():
            old = remit_lines[position - 1]
            allowed = old.charge if group == "PR" else old.charge * 0
            remit_lines[position - 1] = RemitLine(
                line_id=old.line_id, service_date=old.service_date, code=old.code, modifiers=old.modifiers,
                units=old.units, charge=old.charge, paid=old.charge * 0, allowed=allowed,
                adjustments=(Cas(GroupCode(group), carc, old.charge),),
            )  # fmt: skip
        nothing_paid = all(ln.paid == 0 and ln.patient_responsibility == 0 for ln in remit_lines)
        result = replace(
            result, lines=tuple(remit_lines), status=ClaimStatus.DENIED if nothing_paid else ClaimStatus.PRIMARY
        )
    history.append(result)
    billing = shift.office["practice"]["billing"]
    remit = remittance_build(
        [result], payer_id=plan.payer_id, payer_name=plan.payer_name, payee_name=shift.office["practice"]["name"],
        payee_npi=str(billing["npi"]), trace_number=f"TRN{claim_number}", paid_on=received,
    )  # fmt: skip
    posted = status == "posted"
    ledger_entries = posting.remittance_post(ledger, remit).entries if posted else ()
    LedgerEntry.objects.bulk_create(
        [entry_row(c, shift=shift, patient=patient) for c in charges]
        + [entry_row(e, shift=shift, patient=patient, claim_number=claim_number) for e in ledger_entries]
    )
    Remittance.objects.create(
        shift=shift, claim=claim, trace_number=remit.trace_number, paid_on=received, data=remittance_json(remit),
        posted=posted,
    )  # fmt: skip
    claim.status = Claim.Status.DENIED if result.status is ClaimStatus.DENIED else Claim.Status.ADJUDICATED
    claim.scrub_at_submission = []
    claim.save(update_fields=["status", "scrub_at_submission"])
    return claim
