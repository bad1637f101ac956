"""The records desk's actions: verify, check what is on file, decide, release, log the disclosure.

One atomic function per action. Each writes its action-log row(s) in the same transaction (the grader
reads the process steps from there, in order) and, when a record is viewed or PHI leaves the office, an
audit row (coursesite.audit, 45 CFR 164.312(b)). Step names are the rules module's `Step` values, so the
log can be compared with `evaluate_request`'s required steps directly.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction

from coursesite.audit.services import audit_record

from .models import Disclosure, RecordDocument, RecordSection, RecordsRequest, Shift
from .privacy.accounting import EXCLUDED, Basis
from .privacy.rules import (
    ACTION_RELEASE,
    ORGANISATIONS,
    STEP_ORDER,
    Channel,
    Request,
    Requester,
    Step,
    Verification,
    identity_verified,
)
from .services import OfficeActionError, _require_open, action_log_write

IDENTIFIER_LABELS = {
    "name": "Full name",
    "dob": "Date of birth",
    "address": "Address",
    "phone": "Phone number",
    "member_id": "Member ID",
}
# "Check what is on file" buttons: each logs its step and shows what the chart says.
CHECKS = {
    Step.CHECK_MINOR_CONSENT: "Check the minor-consent flag",
    Step.CHECK_AUTHORIZED_CONTACTS: "Check the patient's authorized contacts",
    Step.CHECK_AUTHORIZATION: "Check for a valid authorization",
    Step.CHECK_PART2_CONSENT: "Check for a Part 2 consent",
    Step.VERIFY_DIRECTIVE: "Check the written directive",
    Step.CHECK_COMMUNICATION_PREFERENCES: "Check communication preferences",
    Step.RECORD_PATIENT_AGREEMENT: "Record the patient's (or parent's) agreement",
}
# Steps chosen on the decision form, logged in the rules' order with the decision.
DECISION_STEPS = {
    Step.LIMIT_TO_MINIMUM_NECESSARY: "Limited to the minimum necessary",
    Step.ATTACH_REDISCLOSURE_NOTICE: "Attached the notice against redisclosure (42 CFR 2.32)",
    Step.WRITTEN_DENIAL: "Sent a written denial",
    Step.ROUTE_TO_PROVIDER: "Routed to the provider",
    Step.OFFER_ALTERNATIVE: "Offered an alternative (portal, call back to the number on file, the patient to authorize)",
    Step.UPDATE_COMMUNICATION_PREFERENCES: "Updated the communication preferences",
}
RELEASES = (RecordsRequest.Decision.RELEASE_FULL, RecordsRequest.Decision.RELEASE_MINIMUM_NECESSARY)
ACCEPTS = (
    RecordsRequest.Decision.ACCEPT_ACCESS_REQUEST,
    RecordsRequest.Decision.ACCEPT_AMENDMENT_REQUEST,
    RecordsRequest.Decision.ACCEPT_ACCOUNTING_REQUEST,
)

# The office's cost-based fee for a copy (45 CFR 164.524(c)(4)): labour for copying and supplies per
# page, postage when mailed; or HHS's flat-fee option of at most $6.50 for an electronic copy of records
# kept electronically (HHS right-of-access guidance). No search, retrieval or handling fee.
FEE_PER_PAGE = Decimal("0.25")
FEE_POSTAGE = Decimal("1.50")
FEE_ELECTRONIC_FLAT = Decimal("6.50")


def access_fee(*, pages: int, delivery: str) -> Decimal:
    """The reasonable cost-based fee for a copy of `pages` pages delivered by `delivery`."""
    if delivery == RecordsRequest.Delivery.PORTAL:
        return FEE_ELECTRONIC_FLAT
    fee = FEE_PER_PAGE * pages
    if delivery == RecordsRequest.Delivery.MAIL:
        fee += FEE_POSTAGE
    return fee.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def copy_pages(sections) -> int:
    """Pages of a copy of the designated record set: psychotherapy notes are not part of it (164.501)."""
    return sum(s.pages for s in sections if s.content != "psychotherapy_notes")


def _facts_request(request: RecordsRequest) -> Request:
    return Request(requester=Requester(request.requester), ask=request.ask, channel=Channel(request.channel))


def _log(shift: Shift, request: RecordsRequest, kind: str, **after) -> None:
    action_log_write(
        shift=shift, kind=kind, target=f"records_request:{request.pk}", patient_key=request.patient.key,
        after={"request": request.key, **after},
    )  # fmt: skip


def _step(shift: Shift, request: RecordsRequest, step: Step, **detail) -> None:
    _log(shift, request, "records_step", step=step.value, **detail)


def _open(shift: Shift, request: RecordsRequest) -> Shift:
    shift = _require_open(shift)
    if request.status != RecordsRequest.Status.OPEN:
        raise OfficeActionError("This request has been decided; its outcome can no longer be changed.")
    return shift


def _logged_steps(shift: Shift, request: RecordsRequest) -> list[dict]:
    from .models import ActionLog

    return [
        row.after
        for row in ActionLog.objects.for_shift(shift).filter(
            kind="records_step", target=f"records_request:{request.pk}"
        )
    ]


@transaction.atomic
def records_request_view(*, shift: Shift, request: RecordsRequest, user) -> None:
    """Opening a request shows the patient's record sections and documents: a record view, logged and audited."""
    from .models import ActionLog

    shift = _require_open(shift)
    last = ActionLog.objects.for_shift(shift).order_by("-seq").values_list("target", flat=True).first()
    if last != f"records_request:{request.pk}":  # opening it, not coming back to it after an action
        _log(shift, request, "records_viewed")
    audit_record(
        action="record_viewed",
        actor=user or shift.learner,
        target=request.patient,
        shift=shift.pk,
        records_request=request.key,
    )


@transaction.atomic
def records_identity_verify(
    *, shift: Shift, request: RecordsRequest, identifiers: list[str], document_ids: list[int]
) -> bool:
    """Record the identity check: the identifiers the requester confirmed and the documents examined.

    Only identifiers the requester actually stated, matching the chart, count; the result (verified or
    not, by the rules' standard: two identifiers, photo ID at the desk, official credentials, a known fax
    or letterhead for an organisation) is logged with the step."""
    shift = _open(shift, request)
    unknown = [i for i in identifiers if i not in IDENTIFIER_LABELS]
    if unknown:
        raise OfficeActionError(f"Unknown identifier: {', '.join(unknown)}.")
    documents = list(RecordDocument.objects.for_shift(shift).filter(request=request, pk__in=document_ids))
    if len(documents) != len(set(document_ids)):
        raise OfficeActionError("That document did not come with this request.")
    if not identifiers and not documents:
        raise OfficeActionError("Tick the identifiers the requester confirmed, or the documents you examined.")
    from .records_setup import chart_identifiers

    chart = chart_identifiers(request.patient)
    matched = sorted(i for i in identifiers if request.stated.get(i) and request.stated.get(i) == chart.get(i))
    called_back = any(
        s.get("confirmed") for s in _logged_steps(shift, request) if s["step"] == "call_back_number_on_file"
    )
    verification = Verification(
        identifiers_checked=frozenset(matched), called_back_number_on_file=called_back,
        documents_seen=frozenset(d.fact for d in documents if d.fact),
    )  # fmt: skip
    verified = identity_verified(_facts_request(request), verification)
    _step(shift, request, Step.VERIFY_IDENTITY, verified=verified, identifiers=matched,
          not_confirmed=sorted(set(identifiers) - set(matched)), documents=[d.key for d in documents])  # fmt: skip
    return verified


@transaction.atomic
def records_call_back(*, shift: Shift, request: RecordsRequest) -> bool:
    """Call the requester back on the number on file (not the one they gave): the way to verify an office."""
    shift = _open(shift, request)
    if Requester(request.requester) not in ORGANISATIONS:
        raise OfficeActionError("Call-backs to a number on file are for offices and organisations.")
    confirmed = request.callback_confirms
    _step(shift, request, Step.VERIFY_IDENTITY, verified=confirmed, method="call_back")
    _step(shift, request, Step.CALL_BACK_NUMBER_ON_FILE, confirmed=confirmed)
    return confirmed


@transaction.atomic
def records_check(*, shift: Shift, request: RecordsRequest, check: str) -> None:
    """Check one thing on file (minor-consent flag, authorized contacts, authorizations, ...)."""
    shift = _open(shift, request)
    try:
        step = Step(check)
    except ValueError:
        step = None
    if step not in CHECKS:
        raise OfficeActionError("Choose what to check on file.")
    _step(shift, request, step)


@transaction.atomic
def records_authority_verify(
    *, shift: Shift, request: RecordsRequest, document_ids: list[int], none_found: bool = False
) -> None:
    """Record which documents (on file or presented) show the requester's authority, or that none does."""
    shift = _open(shift, request)
    documents = list(RecordDocument.objects.for_shift(shift).filter(patient=request.patient, pk__in=document_ids))
    if none_found and document_ids:
        raise OfficeActionError("Either choose the documents that show authority, or that none does, not both.")
    if not document_ids and not none_found:
        raise OfficeActionError("Choose the document that shows the requester's authority (or that none does).")
    if len(documents) != len(set(document_ids)):
        raise OfficeActionError("That document is not on file for this patient.")
    _step(shift, request, Step.VERIFY_AUTHORITY, documents=[d.key for d in documents], found=not none_found)


def _money(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace("$", "").strip())
    except InvalidOperation:
        raise OfficeActionError("Enter the fee as an amount, e.g. 6.50.") from None
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise OfficeActionError("Enter the fee in dollars and cents, not negative.")
    return amount


@transaction.atomic
def records_decide(
    *,
    shift: Shift,
    request: RecordsRequest,
    user,
    decision: str,
    section_keys: list[str] = (),
    delivery: str = "",
    due_on: date | None = None,
    fee: str | Decimal | None = None,
    steps: list[str] = (),
    note: str = "",
) -> RecordsRequest:
    """Decide the request. A release sends the chosen record sections by the chosen route (audited as a
    disclosure); accepting an access, amendment or accounting request logs it with the deadline computed
    (and, for a copy, the fee and the form of delivery)."""
    shift = _open(shift, request)
    if decision not in RecordsRequest.Decision.values:
        raise OfficeActionError("Choose a decision.")
    try:
        chosen = sorted({Step(s) for s in steps}, key=STEP_ORDER.__getitem__)
    except ValueError:
        raise OfficeActionError("Unknown step on the decision form.") from None
    if any(s not in DECISION_STEPS for s in chosen):
        raise OfficeActionError("Unknown step on the decision form.")
    sections: list[RecordSection] = []
    if decision in RELEASES:
        if not section_keys:
            raise OfficeActionError("Choose what to release: tick at least one record section.")
        sections = list(RecordSection.objects.for_shift(shift).filter(patient=request.patient, key__in=section_keys))
        if len(sections) != len(set(section_keys)):
            raise OfficeActionError("That record section is not in this patient's chart.")
        if delivery not in RecordsRequest.Delivery.values:
            raise OfficeActionError("Choose how the records go out (mail, portal, fax to a verified number, pick-up).")
    elif section_keys:
        raise OfficeActionError("Only a release sends record sections; untick them or choose a release.")
    amount = _money(fee)
    if decision in ACCEPTS and due_on is None:
        raise OfficeActionError("Enter the date by which the office must act on the request.")
    if decision == RecordsRequest.Decision.ACCEPT_ACCESS_REQUEST:
        if delivery not in RecordsRequest.Delivery.values:
            raise OfficeActionError("Choose how the copy will be provided.")
        if amount is None:
            raise OfficeActionError("Enter the fee for the copy (0.00 if none).")
    # The steps, in the rules' order, around the decision.
    pre_release = [s for s in chosen if s in (Step.LIMIT_TO_MINIMUM_NECESSARY, Step.ATTACH_REDISCLOSURE_NOTICE)]
    for step in pre_release:
        _step(shift, request, step)
    if decision in RELEASES:
        _log(shift, request, ACTION_RELEASE, sections=sorted(s.key for s in sections), delivery=delivery)
        audit_record(
            action="phi_disclosed", actor=user or shift.learner, target=request.patient, shift=shift.pk, records_request=request.key,
            recipient=request.requester_name, sections=sorted(s.key for s in sections), delivery=delivery,
        )  # fmt: skip
    after_steps = [s for s in chosen if s not in pre_release]
    if decision == RecordsRequest.Decision.ROUTE_TO_PRIVACY_OFFICER:
        after_steps.append(Step.ROUTE_TO_PRIVACY_OFFICER)
    if decision in ACCEPTS:
        after_steps += [Step.LOG_REQUEST, Step.COMPUTE_DEADLINE]
    for step in sorted(set(after_steps), key=STEP_ORDER.__getitem__):
        detail = {"due": due_on.isoformat()} if step is Step.COMPUTE_DEADLINE and due_on else {}
        _step(shift, request, step, **detail)
    request.status = RecordsRequest.Status.DECIDED
    request.decision = decision
    request.released = sorted(s.key for s in sections)
    request.delivery = delivery if decision in (*RELEASES, RecordsRequest.Decision.ACCEPT_ACCESS_REQUEST) else ""
    request.due_on = due_on if decision in ACCEPTS else None
    request.fee = amount if decision == RecordsRequest.Decision.ACCEPT_ACCESS_REQUEST else None
    request.note = note[:500]
    request.full_clean()
    request.save()
    _log(
        shift, request, "records_decided", decision=decision, due=str(request.due_on or ""), fee=str(request.fee or "")
    )
    return request


@transaction.atomic
def disclosure_log(
    *, shift: Shift, request: RecordsRequest, user, recipient: str, purpose: str, description: str, basis: str,
    recipient_address: str = "",
) -> Disclosure:  # fmt: skip
    """Enter a release in the accounting-of-disclosures log (45 CFR 164.528(b)(2)); TPO, the patient's own
    access and the other kinds 164.528(a)(1) lists are flagged as excluded from an accounting."""
    shift = _require_open(shift)
    if not request.released:
        raise OfficeActionError("Nothing was released for this request, so there is no disclosure to log.")
    if request.disclosures.exists():
        raise OfficeActionError("This disclosure is already in the log.")
    if basis not in {b.value for b in Basis}:
        raise OfficeActionError("Choose the legal basis of the disclosure.")
    if not recipient.strip() or not purpose.strip() or not description.strip():
        raise OfficeActionError("Give the recipient, the purpose and a description of what was disclosed.")
    row = Disclosure(
        shift=shift, patient=request.patient, request=request, disclosed_on=shift.now.date(),
        recipient=recipient.strip()[:200], recipient_address=recipient_address.strip()[:200],
        purpose=purpose.strip()[:300], description=description.strip()[:300], basis=basis,
        excluded=Basis(basis) in EXCLUDED, by_trainee=True,
    )  # fmt: skip
    row.full_clean()
    row.save()
    _step(shift, request, Step.LOG_DISCLOSURE, basis=basis, excluded=row.excluded)
    audit_record(
        action="disclosure_logged", actor=user or shift.learner, target=request.patient, shift=shift.pk, basis=basis
    )
    return row


@transaction.atomic
def disclosure_log_view(*, shift: Shift, user) -> None:
    """Reading the disclosure log shows PHI (who was told what about whom): audited, not an office action."""
    audit_record(action="disclosure_log_viewed", actor=user or shift.learner, target=shift)
