"""Privacy incidents in the office: file the incident report, route it to the privacy officer.

The rules are simulations/privacy/breach.py's (45 CFR 164.402-164.408): the service turns the trainee's
report into `BreachFacts`, lets `breach_assess` conclude, and stores the conclusion and every notice's
latest date with the report. Each service is atomic, locks the shift, appends its action-log row and
writes the audit trail; a refused report raises OfficeActionError and changes nothing.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from coursesite.audit.services import audit_record

from .models import IncidentReport, Shift
from .privacy.breach import EXCEPTIONS, BreachFacts, Risk, breach_assess
from .services import OfficeActionError, _require_open, action_log_write

# The data elements an incident report asks about (the identifiers and the kinds of health information
# that drive factor 164.402(2)(i), the nature and extent of the PHI).
PHI_ELEMENTS: dict[str, str] = {
    "name": "Names",
    "dob": "Dates of birth",
    "address": "Addresses",
    "contact": "Phone numbers or e-mail addresses",
    "ssn": "Social Security numbers",
    "member_id": "Insurance member IDs",
    "account": "Medical record or account numbers",
    "appointments": "Appointment dates and providers",
    "diagnoses": "Diagnoses or conditions",
    "results": "Test results",
    "medications": "Medications",
    "payment": "Payment card or bank details",
}

PRIVACY_OFFICER = "the privacy officer"


@dataclass(frozen=True)
class IncidentData:
    what_happened: str
    discovered_on: date
    individuals: int
    device: str
    recipient: str
    nature_and_extent: str
    recipient_risk: str
    acquired_or_viewed: str
    mitigation: str
    occurred_on: date | None = None
    phi_elements: list[str] = field(default_factory=list)
    residents_of_one_state: int = 0
    returned_or_destroyed: bool = False
    exception: str = ""
    individual_notice_by: date | None = None


def _incident_item(shift: Shift, item_key: str) -> dict:
    item = next((i for i in shift.variant["inbox"] if i.get("key") == item_key), None)
    if item is None or item.get("kind") != "incident":
        raise OfficeActionError("That incident is not in the inbox.")
    return item


def _problems(shift: Shift, data: IncidentData) -> list[str]:
    today = shift.now.date()
    problems = []
    if not data.what_happened.strip():
        problems.append("Say what happened.")
    if data.discovered_on > today:
        problems.append(f"The discovery date cannot be after today in the office ({today:%m/%d/%Y}).")
    if data.occurred_on is not None and data.occurred_on > data.discovered_on:
        problems.append("The incident cannot have happened after it was discovered.")
    if data.individuals < 1:
        problems.append("Give the number of individuals whose information was involved (at least 1).")
    if data.residents_of_one_state < 0 or data.residents_of_one_state > max(data.individuals, 0):
        problems.append("Residents of one state cannot be negative or more than the individuals involved.")
    if not data.phi_elements:
        problems.append("Tick the kinds of information involved.")
    elif set(data.phi_elements) - set(PHI_ELEMENTS):
        problems.append("Tick the kinds of information from the list.")
    if data.device not in IncidentReport.Device.values:
        problems.append("Say whether a device was involved and whether it was encrypted.")
    if data.recipient not in IncidentReport.Recipient.values:
        problems.append("Say who received or may have the information.")
    risks = (data.nature_and_extent, data.recipient_risk, data.acquired_or_viewed, data.mitigation)
    if any(risk not in (Risk.LOW, Risk.HIGH) for risk in risks):
        problems.append("Rate each of the four risk-assessment factors.")
    if data.exception and data.exception not in EXCEPTIONS:
        problems.append("Choose an exception from the list, or none.")
    if data.individual_notice_by is not None and data.individual_notice_by < data.discovered_on:
        problems.append("The notice date cannot be before the incident was discovered.")
    return problems


@transaction.atomic
def incident_report_file(*, shift: Shift, item_key: str, data: IncidentData) -> IncidentReport:
    """File the report of an inbox incident: the facts and the four-factor assessment as the trainee gives
    them; the conclusion and the notice deadlines computed by breach_assess. One report per incident."""
    shift = _require_open(shift)
    _incident_item(shift, item_key)
    if IncidentReport.objects.for_shift(shift).filter(item_key=item_key).exists():
        raise OfficeActionError("A report for this incident has been filed already; it is final.")
    problems = _problems(shift, data)
    if problems:
        raise OfficeActionError(*problems)
    facts = BreachFacts(
        discovered=data.discovered_on,
        individuals_affected=data.individuals,
        residents_of_one_state=data.residents_of_one_state,
        unsecured=data.device != IncidentReport.Device.ENCRYPTED,
        nature_and_extent=Risk(data.nature_and_extent),
        recipient=Risk(data.recipient_risk),
        acquired_or_viewed=Risk(data.acquired_or_viewed),
        mitigation=Risk(data.mitigation),
        exception=data.exception,
    )
    assessment = breach_assess(facts)
    latest = assessment.latest_dates()
    notifications = [
        {"to": n.to, "due": latest[n.to].isoformat(), "citation": n.citation, "with_individuals": n.due is None}
        for n in assessment.notifications
    ]
    report = IncidentReport(
        shift=shift,
        item_key=item_key,
        what_happened=data.what_happened.strip(),
        occurred_on=data.occurred_on,
        discovered_on=data.discovered_on,
        phi_elements=sorted(set(data.phi_elements)),
        individuals=data.individuals,
        residents_of_one_state=data.residents_of_one_state,
        device=data.device,
        recipient=data.recipient,
        returned_or_destroyed=data.returned_or_destroyed,
        nature_and_extent=data.nature_and_extent,
        recipient_risk=data.recipient_risk,
        acquired_or_viewed=data.acquired_or_viewed,
        mitigation=data.mitigation,
        exception=data.exception,
        individual_notice_by=data.individual_notice_by,
        conclusion=assessment.conclusion,
        reason=assessment.reason,
        notifications=notifications,
        filed_at_sim=shift.now,
        filed_at=timezone.now(),
    )
    report.full_clean()
    report.save()
    action_log_write(
        shift=shift,
        kind="incident_reported",
        target=f"inbox:{item_key}",
        after={
            "report": report.pk,
            "discovered_on": data.discovered_on.isoformat(),
            "individuals": data.individuals,
            "residents_of_one_state": data.residents_of_one_state,
            "device": data.device,
            "conclusion": assessment.conclusion,
            "notifications": notifications,
            "individual_notice_by": data.individual_notice_by.isoformat() if data.individual_notice_by else "",
        },
    )
    audit_record(
        action="incident_reported",
        actor=shift.learner,
        target=report,
        shift=shift.pk,
        item=item_key,
        conclusion=assessment.conclusion,
        individuals=data.individuals,
    )
    return report


@transaction.atomic
def privacy_officer_notify(*, shift: Shift, item_key: str, note: str) -> None:
    """Route an inbox item (an incident, a suspicious request) to the privacy officer with a note: the
    office's reporting duty (164.530(f) mitigation; 164.308(a)(6) security incident procedures)."""
    shift = _require_open(shift)
    if item_key not in {item.get("key") for item in shift.variant["inbox"]}:
        raise OfficeActionError("That inbox item does not exist.")
    if not note.strip():
        raise OfficeActionError("Write a note for the privacy officer: what happened and what you have done.")
    action_log_write(
        shift=shift, kind="privacy_officer_notified", target=f"inbox:{item_key}", after={"note": note.strip()[:1000]}
    )
    audit_record(
        action="privacy_officer_notified", actor=shift.learner, target=shift, item=item_key, note=note.strip()[:200]
    )
