"""Build a shift's records desk from a case of the HIPAA request scenario bank (content/privacy/).

A scenario names a bank case (`setup: {records: {case: row05-minor-consented-service/other-family}}`);
this module turns the case's facts into the shift's rows: the patient, the record sections that could be
released, the documents on file and those that came with the request, and the request itself. The bank
stays the one source of truth: grading runs `evaluate_request` on the same case (records_grading_data).

What the requester can prove is the case's `verification`: identifiers listed there are stated correctly,
the others the requester cannot give; listed documents are presented; a call back to the number on file
confirms the request only when `called_back_number_on_file` is true.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date, timedelta

from .models import Coverage, Disclosure, Patient, RecordDocument, RecordSection, RecordsRequest, Shift
from .privacy.accounting import EXCLUDED, Basis
from .privacy.authorization import AuthorizationForm
from .privacy.deadlines import years_before
from .privacy.rules import Ask, Authorization, Content, PatientFacts, Request, Requester
from .privacy.scenarios import RequestCase, scenario_case
from .registration import primary_coverage

RECORDS_PATIENT_KEY = "records-patient"

ASK_TEXT = {
    Ask.FULL_RECORD: "The complete medical record",
    Ask.SPECIFIC_DATES: "The notes of specific dates of service",
    Ask.RESULTS: "Test results",
    Ask.VISIT_SUMMARY: "A visit summary",
    Ask.PSYCHOTHERAPY_NOTES: "Psychotherapy notes",
    Ask.PART2_RECORDS: "Substance-use-disorder treatment records (42 CFR Part 2)",
    Ask.APPOINTMENT_INFO: "Appointment information (whether and when the patient was seen)",
    Ask.ACCOUNTING: "An accounting of disclosures (who has been given the records)",
    Ask.AMENDMENT: "An amendment of the record",
    Ask.ACCESS_COPY: "A copy of the records",
    Ask.DIRECTIVE: "A copy of the records sent to a third party",
    Ask.CONFIDENTIAL_COMMUNICATION: "To be contacted another way",
    Ask.IMMUNIZATIONS: "Proof of immunization",
}
DOCUMENT_FOR = {
    "parent": RecordDocument.Kind.CUSTODY,
    "guardian": RecordDocument.Kind.GUARDIANSHIP,
    "health_care_agent": RecordDocument.Kind.HEALTH_CARE_POA,
    "executor": RecordDocument.Kind.LETTERS_TESTAMENTARY,
}
PRESENTED = {
    "photo_id": ("Photo ID card", RecordDocument.Kind.IDENTIFICATION),
    "drivers_license": ("Driver's license", RecordDocument.Kind.IDENTIFICATION),
    "passport": ("Passport", RecordDocument.Kind.IDENTIFICATION),
    "badge": ("Police badge and ID card", RecordDocument.Kind.IDENTIFICATION),
    "official_credentials": ("Official credentials", RecordDocument.Kind.IDENTIFICATION),
    "agency_letterhead": ("Request on agency letterhead", RecordDocument.Kind.LETTER),
    "known_fax_number": ("Fax cover sheet", RecordDocument.Kind.LETTER),
    "letterhead_request": ("Request on letterhead", RecordDocument.Kind.LETTER),
    "custody_order": ("Custody order", RecordDocument.Kind.CUSTODY),
}
# The disclosure log already holds these for every records patient: one the accounting excludes (payment)
# and one it includes (a public-health report), so an accounting request has something to show.
PRIOR_DISCLOSURES = [
    (400, "Bluecrest Health (claims)", "Payment of a claim", "Visit note of one date of service", Basis.PAYMENT),
    (200, "County Health Department", "Reportable-disease report", "Laboratory result and demographics",
     Basis.PUBLIC_HEALTH),
]  # fmt: skip
COVERS_TEXT = {
    Ask.FULL_RECORD: "all medical records",
    Ask.RESULTS: "laboratory and test results",
    Ask.APPOINTMENT_INFO: "appointment dates and attendance",
    Ask.PSYCHOTHERAPY_NOTES: "psychotherapy notes",
    Ask.VISIT_SUMMARY: "visit summaries",
    Ask.SPECIFIC_DATES: "notes of the dates of service listed",
    Ask.IMMUNIZATIONS: "immunization record",
}


def bank_case(case_id: str) -> RequestCase:
    """The bank case (content/privacy/scenarios.yaml); ValueError if there is none."""
    return scenario_case(case_id)


def _digest(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


def _dob(name: str, age: int, today: date) -> date:
    """A birthday `age` years back, on a day derived from the name (so variants differ, reproducibly)."""
    return years_before(today, age) - timedelta(days=1 + _digest(name) % 300)


def _names(full: str) -> tuple[str, str]:
    first, _, last = full.strip().rpartition(" ")
    return (first or last, last) if first else (full, full)


def _iso(day: date | None) -> str:
    return day.strftime("%m/%d/%Y") if day else ""


def _form_for(auth: Authorization, patient_name: str, practice: str, today: date) -> AuthorizationForm:
    if auth.form is not None:
        return auth.form
    covers = sorted(auth.covers, key=lambda a: a.value)
    if auth.psychotherapy_specific:
        what = "Psychotherapy notes only (a separate authorization for psychotherapy notes)"
    else:
        what = "; ".join(COVERS_TEXT.get(a, a.value.replace("_", " ")) for a in covers).capitalize()
    return AuthorizationForm(
        information_description=what,
        discloser=practice,
        recipient=auth.recipient,
        purpose="At the request of the individual",
        expiration=auth.expires,
        signature=patient_name,
        signed_on=today - timedelta(days=90),
        states_right_to_revoke=True,
        states_conditioning=True,
        states_redisclosure=True,
        revoked=auth.revoked,
    )


def authorization_fields(form: AuthorizationForm, patient_name: str) -> list[list[str]]:
    """The form as the desk reads it, in the order of 164.508(c); blanks stay blank so they can be spotted."""

    def yes(flag: bool) -> str:
        return "Yes" if flag else ""

    expires = _iso(form.expiration) or form.expiration_event
    rows = [
        ["Patient", patient_name],
        ["Information to be disclosed", form.information_description],
        ["Who may disclose it", form.discloser],
        ["To whom (recipient)", form.recipient],
        ["Purpose", form.purpose],
        ["Expires (date or event)", expires],
        ["Signature", form.signature],
        ["Date signed", _iso(form.signed_on)],
        ["States the right to revoke in writing", yes(form.states_right_to_revoke)],
        ["States that treatment is not conditioned on signing", yes(form.states_conditioning)],
        ["States that disclosed information may be redisclosed", yes(form.states_redisclosure)],
    ]
    if form.signed_by_representative:
        rows.append(["Representative's authority", form.representative_authority])
    if form.revoked:
        rows.append(["Note on file", "REVOKED in writing by the patient"])
    return rows


def chart_identifiers(patient: Patient) -> dict[str, str]:
    """The identifiers as the chart shows them (what a requester's statements are compared with)."""
    return {
        "name": patient.full_name, "dob": _iso(patient.dob), "address": patient.address, "phone": patient.phone,
        "member_id": coverage.member_id if (coverage := primary_coverage(patient)) else "",
    }  # fmt: skip


def _sections(shift: Shift, patient: Patient, request: Request, facts: PatientFacts, today: date) -> list:
    visit_dates = sorted({*request.dates_requested, today - timedelta(days=41), today - timedelta(days=118)})
    rows = [
        RecordSection(
            shift=shift, patient=patient, key=f"visit-{day.isoformat()}", title=f"Visit note, {day:%d %b %Y}",
            content="visit_note", on_date=day, pages=3,
        )
        for day in visit_dates
    ]  # fmt: skip
    latest = visit_dates[-1]
    rows += [
        RecordSection(shift=shift, patient=patient, key="results", title=f"Laboratory results, {latest:%d %b %Y}",
                      content=Content.RESULTS.value, on_date=latest, pages=2),
        RecordSection(shift=shift, patient=patient, key="visit-summary", title=f"Visit summary, {latest:%d %b %Y}",
                      content=Content.VISIT_SUMMARY.value, on_date=latest, pages=1),
        RecordSection(shift=shift, patient=patient, key="appointments", title="Appointment history",
                      content=Content.APPOINTMENT_INFO.value, pages=1),
    ]  # fmt: skip
    if facts.age < 18 or request.ask is Ask.IMMUNIZATIONS:
        rows.append(
            RecordSection(shift=shift, patient=patient, key="immunizations", title="Immunization record",
                          content=Content.IMMUNIZATIONS.value, pages=1)
        )  # fmt: skip
    if request.ask is Ask.PSYCHOTHERAPY_NOTES:
        rows.append(
            RecordSection(shift=shift, patient=patient, key="psychotherapy-notes",
                          title="Psychotherapy notes (kept apart from the record)",
                          content=Content.PSYCHOTHERAPY_NOTES.value, pages=6)
        )  # fmt: skip
    if facts.holds_part2_records:
        rows.append(
            RecordSection(shift=shift, patient=patient, key="part2-records",
                          title="Substance-use-disorder program records (42 CFR Part 2)",
                          content=Content.PART2_RECORDS.value, pages=8)
        )  # fmt: skip
    return rows


def _chart_facts(facts: PatientFacts, patient_name: str) -> dict:
    alerts = []
    if facts.deceased:
        alerts.append(f"{patient_name} is deceased.")
    if facts.abuse_suspected:
        alerts.append("Provider's note: concern that the patient's representative may be harming the patient.")
    if any(rep.custody_flag for rep in facts.personal_representatives):
        alerts.append("Custody alert: check the custody order before releasing anything to either parent.")
    if facts.holds_part2_records:
        alerts.append("This chart holds records of the practice's substance-use-disorder program (42 CFR Part 2).")
    return {
        "authorized_contacts": list(facts.authorized_contacts),
        "minor_consent": (
            "The most recent visit was a service the minor consented to alone, as state law allows."
            if facts.minor_consent_service
            else ""
        ),
        "alerts": alerts,
        "no_messages": [c.value for c in facts.no_messages],
        "present": facts.present_and_not_objecting,
        "immunization_agreement": facts.immunization_agreement,
    }


def records_build(*, shift: Shift, spec: dict) -> None:
    """The records desk for `spec = {case: <bank case id>}`: patient, sections, documents, request."""
    case = bank_case(str(spec["case"]))
    today = shift.clock_start.date()
    practice = shift.office["practice"]["name"]
    facts, request = case.patient, replace(case.request, received=today)
    first, last = _names(facts.name)
    digest = _digest(case.id)
    patient = Patient.objects.create(
        shift=shift, key=RECORDS_PATIENT_KEY, first_name=first, last_name=last, dob=_dob(facts.name, facts.age, today),
        sex="X", phone=f"(555) 010-{1100 + digest % 90:04d}", address=f"{10 + digest % 80} Birch Row, Maple Grove, ST 00501",
    )  # fmt: skip
    # The member ID is one of the identifiers a requester may state; the patient's own plan carries it.
    insurer = next(key for key, payer in shift.office["payers"].items() if payer.get("kind") != "self-pay")
    Coverage.objects.create(
        shift=shift, patient=patient, rank=Coverage.Rank.PRIMARY, payer_key=insurer, member_id=f"MG{digest % 1000000:06d}",
        relationship=Coverage.Relationship.SELF, subscriber_first_name=first, subscriber_last_name=last,
        subscriber_dob=patient.dob, subscriber_sex=patient.sex,
    )  # fmt: skip
    chart_values = chart_identifiers(patient)
    can_state = case.verification.identifiers_checked
    stated = {name: (value if name in can_state else "") for name, value in chart_values.items()}
    if "name" not in can_state:
        # Everyone names the patient; a name the bank does not count as confirmed is given incompletely.
        has_id = bool(case.verification.documents_seen & {"photo_id", "drivers_license", "passport"})
        stated["name"] = patient.full_name if has_id else patient.first_name
    if request.requester in (Requester.PROVIDER, Requester.PAYER, Requester.WORKERS_COMP, Requester.ATTORNEY,
                             Requester.EMPLOYER, Requester.SCHOOL, Requester.MARKETER, Requester.POLICE):  # fmt: skip
        stated = {"name": patient.full_name, "dob": _iso(patient.dob)}
    row = RecordsRequest.objects.create(
        shift=shift, patient=patient, key="request-1", case=case.id, requester=request.requester.value,
        requester_name=request.requester_name or request.requester.value.replace("_", " ").title(),
        channel=request.channel.value, ask=request.ask.value, ask_text=ASK_TEXT.get(request.ask, request.ask.value),
        purpose=request.purpose.value, prompt=case.prompt, received_on=today,
        dates_requested=[d.isoformat() for d in request.dates_requested], stated=stated,
        chart_facts=_chart_facts(facts, patient.full_name),
        callback_confirms=case.verification.called_back_number_on_file,
    )  # fmt: skip
    RecordSection.objects.bulk_create(_sections(shift, patient, request, facts, today))
    docs: list[RecordDocument] = []

    def add(kind, title, fields, *, with_request=False, fact=""):
        docs.append(
            RecordDocument(
                shift=shift, patient=patient, request=row if with_request else None, key=f"doc-{len(docs) + 1}",
                kind=kind, title=title, fields=fields, fact=fact,
            )
        )  # fmt: skip

    for rep in facts.personal_representatives:
        if not rep.document_on_file or (rep.custody_flag and "custody_order" not in case.verification.documents_seen):
            continue
        add(DOCUMENT_FOR.get(rep.relationship, RecordDocument.Kind.REPRESENTATIVE),
            (rep.document or rep.relationship.replace("_", " ")).capitalize(),
            [["Patient", patient.full_name], ["Names", rep.name], ["Relationship / authority", rep.relationship.replace("_", " ")],
             ["Document", rep.document or "designation of personal representative"]])  # fmt: skip
    for auth in facts.authorizations:
        form = _form_for(auth, patient.full_name, practice, today)
        add(RecordDocument.Kind.AUTHORIZATION, f"Authorization to release information to {auth.recipient}",
            authorization_fields(form, patient.full_name))  # fmt: skip
    if facts.part2_consent is not None:
        consent = facts.part2_consent
        add(RecordDocument.Kind.PART2_CONSENT, "Consent to disclose SUD program records (42 CFR Part 2)",
            [["Patient", patient.full_name],
             ["Scope", "All future uses and disclosures for treatment, payment and health care operations"
              if consent.scope == "tpo" else consent.scope],
             ["Recipient", consent.recipient or "Any provider or plan for treatment, payment or operations"],
             ["Signature", patient.full_name], ["Note on file", "REVOKED in writing" if consent.revoked else ""]])  # fmt: skip
    if facts.immunization_agreement:
        add(RecordDocument.Kind.AGREEMENT, "Parent's agreement: proof of immunization to the school",
            [["Patient", patient.full_name], ["Agreed", "Proof of immunization may be sent to the child's school"],
             ["Agreed by", "Parent, by phone; documented by the front desk"]])  # fmt: skip
    if request.subpoena:
        add(RecordDocument.Kind.COURT_ORDER if request.signed_by_judge else RecordDocument.Kind.SUBPOENA,
            "Subpoena duces tecum",
            [["Patient", patient.full_name], ["Issued by", row.requester_name],
             ["Signed by", "Judge of the district court" if request.signed_by_judge else "The attorney only"],
             ["Notice to the patient / protective order",
              "Attached" if request.satisfactory_assurances else "None attached"]],
            with_request=True)  # fmt: skip
    if request.warrant_or_court_order and not request.subpoena:
        add(RecordDocument.Kind.WARRANT, "Search warrant", [["Patient", patient.full_name],
            ["Signed by", "Judge of the district court"], ["Covers", "Records of the visits named in the warrant"]],
            with_request=True)  # fmt: skip
    if request.ask is Ask.DIRECTIVE and request.written_and_signed:
        add(RecordDocument.Kind.DIRECTIVE, "Signed letter directing a copy to a third party",
            [["From", patient.full_name], ["Send to", "Named in the letter, with the address"],
             ["Signature", patient.full_name]], with_request=True)  # fmt: skip
    for fact in sorted(case.verification.documents_seen):
        title, kind = PRESENTED.get(fact, (fact.replace("_", " ").capitalize(), RecordDocument.Kind.LETTER))
        holder = patient.full_name if request.requester is Requester.PATIENT else row.requester_name
        if fact == "known_fax_number":
            fields = [["From", row.requester_name], ["Fax number", "Matches the number on file for this sender"]]
        elif fact == "letterhead_request":
            fields = [["From", row.requester_name], ["Letterhead", "Printed letterhead with the address on file"]]
        elif kind == RecordDocument.Kind.IDENTIFICATION:
            fields = [["Name", holder], ["Photo", "Matches the person at the desk"]]
            if request.requester is Requester.PATIENT:
                fields.append(["Date of birth", _iso(patient.dob)])
        else:
            fields = [["Patient", patient.full_name], ["Names", row.requester_name]]
        add(kind, title, fields, with_request=True, fact=fact)
    RecordDocument.objects.bulk_create(docs)
    Disclosure.objects.bulk_create(
        [
            Disclosure(shift=shift, patient=patient, disclosed_on=today - timedelta(days=days), recipient=recipient,
                       purpose=purpose, description=description, basis=basis.value, excluded=basis in EXCLUDED)
            for days, recipient, purpose, description, basis in PRIOR_DISCLOSURES
        ]
    )  # fmt: skip
    if facts.present_and_not_objecting:
        RecordsRequest.objects.filter(pk=row.pk).update(
            prompt=f"{case.prompt} (The patient, {patient.full_name}, is here at the desk.)"
        )
