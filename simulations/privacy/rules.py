"""Who may be told what: the disclosure rules of the practice office, as plain functions.

`evaluate_request(request, patient, verification)` returns the correct `Decision` for one request at the
desk, on the phone, by fax or by mail: the outcome, the ordered steps the representative must take, the
content that may be released, the rule citations and a plain-language reason. `Decision.critical_errors`
compares what a trainee actually did with it and lists the X-errors (PHI to someone not entitled,
disclosure before verification, editing a clinical entry, opening a chart without a job need).

The rules follow the HIPAA request scenario bank in PRACTICE_OFFICE.md and cite the paragraph that
decides each case. They are teaching rules for a front desk: where state law or professional judgment
decides, the correct action is to route the request to the privacy officer, not to decide it at the desk.

Not taught as current federal law: the 2024 reproductive-health attestation (vacated, Purl v. HHS,
N.D. Tex., 18 June 2025). 42 CFR Part 2 follows the 2024 final rule (compliance date 16 February 2026).

Dependencies run one way: rules -> decision -> facts -> authorization; rules -> deadlines. Nothing here
imports Django. The vocabulary (enums, input dataclasses) lives in facts.py and the Decision in decision.py;
this module re-exports both so callers need only `from simulations.privacy.rules import ...`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from .deadlines import DEFAULT_DEADLINES, DeadlineParameters, access_due, accounting_due, amendment_due
from .decision import CriticalError, Decision, RequestGrade, request_grade
from .facts import (
    ACTION_EDIT_CLINICAL_ENTRY,
    ACTION_OPEN_RECORD,
    ACTION_RELEASE,
    ACTION_REQUIRE_REASON,
    ADULT_AGE,
    ASK_CONTENT,
    IDENTIFIERS,
    OFFICIAL_DOCUMENTS,
    ORGANISATION_DOCUMENTS,
    ORGANISATIONS,
    PART2_COMPLIANCE_DATE,
    PHOTO_ID_DOCUMENTS,
    STEP_ORDER,
    Ask,
    Authorization,
    Channel,
    Content,
    Outcome,
    Part2Consent,
    PatientFacts,
    PersonalRepresentative,
    Purpose,
    Request,
    Requester,
    Step,
    Verification,
)

__all__ = [
    "ACTION_EDIT_CLINICAL_ENTRY",
    "ACTION_OPEN_RECORD",
    "ACTION_RELEASE",
    "ACTION_REQUIRE_REASON",
    "ADULT_AGE",
    "ASK_CONTENT",
    "Ask",
    "Authorization",
    "Channel",
    "Content",
    "CriticalError",
    "Decision",
    "IDENTIFIERS",
    "OFFICIAL_DOCUMENTS",
    "ORGANISATIONS",
    "ORGANISATION_DOCUMENTS",
    "Outcome",
    "PART2_COMPLIANCE_DATE",
    "PHOTO_ID_DOCUMENTS",
    "Part2Consent",
    "PatientFacts",
    "PersonalRepresentative",
    "Purpose",
    "Request",
    "RequestGrade",
    "Requester",
    "STEP_ORDER",
    "Step",
    "Verification",
    "evaluate_request",
    "identity_verified",
    "request_grade",
]

# ---------------------------------------------------------------------------------------------------------
# Verification


def identity_verified(request: Request, verification: Verification, *, min_identifiers: int = 2) -> bool:
    """Individuals: two identifiers (name + date of birth, ...) or photo ID at the desk. Organisations
    (offices, payers, employers, law firms): a call back to the number on file, or a request from a known fax
    number / on letterhead. Police: badge or credentials seen (164.514(h)(2)(ii))."""
    if request.requester in ORGANISATIONS:
        return verification.called_back_number_on_file or bool(verification.documents_seen & ORGANISATION_DOCUMENTS)
    if request.requester is Requester.POLICE:
        return bool(verification.documents_seen & OFFICIAL_DOCUMENTS)
    if request.channel is Channel.DESK and verification.documents_seen & PHOTO_ID_DOCUMENTS:
        return True
    return len(verification.identifiers_checked & IDENTIFIERS) >= min_identifiers


def _representative(patient: PatientFacts, request: Request, relationships: set[str]) -> PersonalRepresentative | None:
    for rep in patient.personal_representatives:
        if rep.relationship in relationships and (not request.requester_name or rep.name == request.requester_name):
            return rep
    return None


def _valid_authorization(patient: PatientFacts, request: Request) -> Authorization | None:
    for auth in patient.authorizations:
        if request.ask not in auth.covers or not auth.valid_on(request.received):
            continue
        if auth.recipient not in (request.requester_name, request.requester.value):
            continue
        if request.ask is Ask.PSYCHOTHERAPY_NOTES and not auth.psychotherapy_specific:
            continue
        return auth
    return None


def _content(request: Request) -> frozenset[Content]:
    item = ASK_CONTENT.get(request.ask)
    return frozenset({item}) if item else frozenset()


def _steps(*steps: Step) -> tuple[Step, ...]:
    return tuple(sorted(dict.fromkeys(steps), key=STEP_ORDER.__getitem__))


def _decision(outcome: Outcome, steps: Iterable[Step], citations: Iterable[str], reason: str, **extra) -> Decision:
    extra.setdefault("scope", frozenset())
    return Decision(outcome=outcome, steps=_steps(*steps), citations=tuple(citations), reason=reason, **extra)


def _unverified(request: Request, steps: Iterable[Step] = ()) -> Decision:
    return _decision(
        Outcome.DECLINE,
        [Step.VERIFY_IDENTITY, *steps, Step.OFFER_ALTERNATIVE],
        ["45 CFR 164.514(h)(1)"],
        "The caller's identity is not verified, so nothing from the record can be shared. Offer the patient "
        "portal or a call back to the number on file.",
        verification_required=True,
    )


# ---------------------------------------------------------------------------------------------------------
# The rules


def evaluate_request(
    request: Request,
    patient: PatientFacts,
    verification: Verification,
    *,
    params: DeadlineParameters = DEFAULT_DEADLINES,
) -> Decision:
    """The correct decision for one request, given the patient's chart and the verification done so far."""
    if request.ask is Ask.INCIDENT:
        return _incident()
    if request.ask is Ask.LEAVE_MESSAGE:
        return _leave_message(patient, request)
    if request.requester is Requester.COWORKER:
        return _decision(
            Outcome.DECLINE,
            [Step.DO_NOT_ACCESS_RECORD, Step.REPORT_PER_POLICY],
            ["45 CFR 164.502(b)", "45 CFR 164.514(d)(2)", "45 CFR 164.530(e)"],
            "Workforce members see only what their job needs; curiosity is not a need. Do not open the "
            "record, and report the request as your policy says.",
        )
    if request.requester is Requester.PATIENT:
        return _individual(request, patient, verification, params, representative=None)
    if request.requester in (Requester.PARENT, Requester.REPRESENTATIVE, Requester.EXECUTOR):
        return _personal_representative(request, patient, verification, params)
    if request.ask in (Ask.PSYCHOTHERAPY_NOTES, Ask.PART2_RECORDS):
        return _specially_protected(request, patient, verification)
    if request.requester is Requester.FAMILY:
        return _family(request, patient, verification)
    if request.requester is Requester.PROVIDER:
        return _provider(request, patient, verification)
    if request.requester is Requester.PAYER and request.purpose is Purpose.PAYMENT:
        return _payer(request, verification)
    if request.requester is Requester.ATTORNEY and request.subpoena:
        return _subpoena(request, patient, verification)
    if request.requester is Requester.POLICE:
        return _police(request, verification)
    if request.requester is Requester.WORKERS_COMP:
        return _workers_comp(request, verification)
    if request.requester is Requester.SCHOOL and request.ask is Ask.IMMUNIZATIONS and patient.immunization_agreement:
        return _school_immunization(request, verification)
    return _needs_authorization(request, patient, verification)


def _individual(
    request: Request,
    patient: PatientFacts,
    verification: Verification,
    params: DeadlineParameters,
    *,
    representative: PersonalRepresentative | None,
) -> Decision:
    """The patient, or someone the rule treats as the patient (164.502(g))."""
    authority = [Step.VERIFY_AUTHORITY] if representative else []
    base = ["45 CFR 164.514(h)(1)"]
    if representative:
        base = [*_representative_citations(representative), "45 CFR 164.514(h)(1)"]
    if not identity_verified(request, verification):
        return _unverified(request, authority)
    received = request.received
    ask = request.ask
    if ask is Ask.PSYCHOTHERAPY_NOTES:
        return _decision(
            Outcome.DECLINE,
            [Step.VERIFY_IDENTITY, *authority, Step.WRITTEN_DENIAL, Step.ROUTE_TO_PROVIDER, Step.LOG_REQUEST],
            ["45 CFR 164.524(a)(1)(i)", "45 CFR 164.524(a)(2)(i)", "45 CFR 164.501"],
            "Psychotherapy notes are excluded from the right of access, and this denial cannot be reviewed. "
            "Deny those notes in writing; the rest of the designated record set stays available.",
        )
    if ask in (Ask.ACCESS_COPY, Ask.FULL_RECORD, Ask.PART2_RECORDS):
        citations = ["45 CFR 164.524(b)(2)", "45 CFR 164.524(c)(2)", "45 CFR 164.524(c)(4)", *base]
        if ask is Ask.PART2_RECORDS:
            citations.append("42 CFR 2.23")
        return _decision(
            Outcome.ACCEPT_ACCESS_REQUEST,
            [Step.VERIFY_IDENTITY, *authority, Step.LOG_REQUEST, Step.COMPUTE_DEADLINE],
            citations,
            "The individual has a right of access. Log the request and act within the deadline, in the form "
            "and format asked for if readily producible, for a reasonable cost-based fee at most.",
            due=access_due(received, params=params) if received else None,
        )
    if ask is Ask.DIRECTIVE:
        if request.written_and_signed and request.recipient_identified:
            return _decision(
                Outcome.ACCEPT_ACCESS_REQUEST,
                [Step.VERIFY_IDENTITY, *authority, Step.VERIFY_DIRECTIVE, Step.LOG_REQUEST, Step.COMPUTE_DEADLINE],
                ["45 CFR 164.524(c)(3)(ii)", "45 CFR 164.524(b)(2)"],
                "A written, signed directive that clearly names the recipient and where to send the copy must "
                "be honoured like an access request (fee limits for third-party directives: Ciox v. Azar).",
                due=access_due(received, params=params) if received else None,
            )
        return _decision(
            Outcome.DECLINE,
            [Step.VERIFY_IDENTITY, *authority, Step.VERIFY_DIRECTIVE, Step.OFFER_ALTERNATIVE],
            ["45 CFR 164.524(c)(3)(ii)"],
            "A copy goes to a third party at the patient's direction only on a written, signed directive that "
            "clearly identifies the recipient and where to send it. Offer the patient the form.",
        )
    if ask is Ask.ACCOUNTING:
        return _decision(
            Outcome.ACCEPT_ACCOUNTING_REQUEST,
            [Step.VERIFY_IDENTITY, *authority, Step.LOG_REQUEST, Step.COMPUTE_DEADLINE],
            ["45 CFR 164.528(a)", "45 CFR 164.528(c)"],
            "The individual may have an accounting of disclosures for the six years before the request "
            "(treatment, payment, operations and other listed disclosures excluded), within 60 days.",
            due=accounting_due(received, params=params) if received else None,
        )
    if ask is Ask.AMENDMENT:
        return _decision(
            Outcome.ACCEPT_AMENDMENT_REQUEST,
            [Step.VERIFY_IDENTITY, *authority, Step.LOG_REQUEST, Step.ROUTE_TO_PROVIDER, Step.COMPUTE_DEADLINE],
            ["45 CFR 164.526(b)(2)"],
            "Accept the amendment request and route it to the provider, who decides within 60 days. The front "
            "desk never edits the clinical entry; an accepted amendment is appended, the original stays.",
            due=amendment_due(received, params=params) if received else None,
        )
    if ask is Ask.CONFIDENTIAL_COMMUNICATION:
        return _decision(
            Outcome.ACCOMMODATE,
            [Step.VERIFY_IDENTITY, Step.UPDATE_COMMUNICATION_PREFERENCES],
            ["45 CFR 164.522(b)(1)", "45 CFR 164.522(b)(2)(iii)"],
            "Accommodate a reasonable request to be contacted another way or at another place. A provider may "
            "not ask for the reason.",
            verification_required=False,
        )
    return _decision(
        Outcome.RELEASE_FULL,
        [Step.VERIFY_IDENTITY, *authority],
        [*base] if representative else ["45 CFR 164.502(a)(1)(i)", *base],
        "The individual (or their personal representative) may be given their own information once identity "
        "(and authority) is verified; minimum necessary does not apply to disclosures to the individual.",
        scope=_content(request),
    )


def _representative_citations(rep: PersonalRepresentative) -> list[str]:
    if rep.relationship == "parent":
        return ["45 CFR 164.502(g)(3)"]
    if rep.relationship == "executor":
        return ["45 CFR 164.502(g)(4)"]
    return ["45 CFR 164.502(g)(2)"]


def _personal_representative(
    request: Request, patient: PatientFacts, verification: Verification, params: DeadlineParameters
) -> Decision:
    if patient.abuse_suspected:
        return _decision(
            Outcome.ROUTE_TO_PRIVACY_OFFICER,
            [Step.VERIFY_IDENTITY, Step.VERIFY_AUTHORITY, Step.ROUTE_TO_PRIVACY_OFFICER],
            ["45 CFR 164.502(g)(5)"],
            "There is reason to believe this representative abuses or endangers the patient. The practice may "
            "refuse to treat them as the personal representative; that judgment belongs to the provider and "
            "privacy officer. Disclose nothing.",
        )
    if request.requester is Requester.PARENT:
        if patient.age >= ADULT_AGE:
            return _needs_authorization(request, patient, verification)
        if patient.minor_consent_service:
            return _decision(
                Outcome.ROUTE_TO_PRIVACY_OFFICER,
                [Step.VERIFY_IDENTITY, Step.CHECK_MINOR_CONSENT, Step.ROUTE_TO_PRIVACY_OFFICER],
                ["45 CFR 164.502(g)(3)(i)(A)-(B)", "45 CFR 164.502(g)(3)(ii)"],
                "The minor consented to this service alone as state law allows, so the parent is not the "
                "personal representative for it. Whether a parent may be told is for state law and the privacy "
                "officer, not the front desk. Disclose nothing.",
                acceptable=frozenset({Outcome.DECLINE}),
            )
        relationships = {"parent", "guardian"}
    elif request.requester is Requester.EXECUTOR:
        if not patient.deceased:
            return _needs_authorization(request, patient, verification)
        relationships = {"executor"}
    else:
        relationships = {"guardian", "health_care_agent"}
    rep = _representative(patient, request, relationships)
    documented = (
        rep is not None and rep.document_on_file and (not rep.custody_flag or bool(verification.documents_seen))
    )
    if rep is None or not documented:
        steps = [Step.VERIFY_IDENTITY, Step.VERIFY_AUTHORITY, Step.OFFER_ALTERNATIVE]
        if request.requester is Requester.PARENT:
            steps.insert(1, Step.CHECK_MINOR_CONSENT)
        return _decision(
            Outcome.DECLINE,
            steps,
            ["45 CFR 164.502(g)", "45 CFR 164.514(h)(1)"],
            "Nobody is treated as the patient's personal representative until their authority is documented "
            "in the chart. Ask for the documents.",
        )
    decision = _individual(request, patient, verification, params, representative=rep)
    if request.requester is Requester.PARENT and decision.outcome is not Outcome.DECLINE:
        return replace(decision, steps=_steps(*decision.steps, Step.CHECK_MINOR_CONSENT))
    return decision


def _specially_protected(request: Request, patient: PatientFacts, verification: Verification) -> Decision:
    if request.ask is Ask.PSYCHOTHERAPY_NOTES:
        auth = _valid_authorization(patient, request)
        if auth and identity_verified(request, verification):
            return _decision(
                Outcome.RELEASE_FULL,
                [Step.VERIFY_IDENTITY, Step.CHECK_AUTHORIZATION, Step.LOG_DISCLOSURE],
                ["45 CFR 164.508(a)(2)"],
                "A valid authorization specific to psychotherapy notes is on file and names this recipient.",
                scope=frozenset({Content.PSYCHOTHERAPY_NOTES}),
            )
        return _decision(
            Outcome.DECLINE,
            [Step.CHECK_AUTHORIZATION, Step.OFFER_ALTERNATIVE],
            ["45 CFR 164.508(a)(2)"],
            "Psychotherapy notes need an authorization specific to them; a general release is not enough.",
            verification_required=True,
        )
    consent = patient.part2_consent
    consent_ok = (
        patient.holds_part2_records
        and consent is not None
        and not consent.revoked
        and consent.scope == "tpo"
        and consent.recipient in ("", request.requester_name)
        and request.purpose in (Purpose.TREATMENT, Purpose.PAYMENT, Purpose.OPERATIONS)
    )
    if consent_ok and identity_verified(request, verification):
        return _decision(
            Outcome.RELEASE_FULL,
            [Step.VERIFY_IDENTITY, Step.CHECK_PART2_CONSENT, Step.ATTACH_REDISCLOSURE_NOTICE, Step.LOG_DISCLOSURE],
            ["42 CFR 2.31", "42 CFR 2.32", "42 CFR 2.33(a)(2)"],
            "The patient's single Part 2 consent covers treatment, payment and operations; disclose with the "
            f"required notice against redisclosure (2024 final rule, compliance date {PART2_COMPLIANCE_DATE:%d %B %Y}).",
            scope=frozenset({Content.PART2_RECORDS}),
        )
    if consent_ok:
        return _unverified(request, [Step.CHECK_PART2_CONSENT])
    return _decision(
        Outcome.DECLINE,
        [Step.CHECK_PART2_CONSENT, Step.OFFER_ALTERNATIVE],
        ["42 CFR 2.31", "42 CFR 2.33"],
        "Substance-use-disorder program records covered by Part 2 need the patient's written Part 2 consent "
        "for this disclosure.",
    )


def _family(request: Request, patient: PatientFacts, verification: Verification) -> Decision:
    auth = _valid_authorization(patient, request)
    if auth:
        return _authorized(request, verification)
    if patient.present_and_not_objecting:
        return _decision(
            Outcome.RELEASE_MINIMUM_NECESSARY,
            [Step.VERIFY_IDENTITY, Step.RECORD_PATIENT_AGREEMENT],
            ["45 CFR 164.510(b)(2)"],
            "The patient is present, was given the chance to object and agreed: share what is relevant to the "
            "family member's involvement in the patient's care, and record the agreement.",
            scope=frozenset({Content.RELEVANT_TO_INVOLVEMENT}),
            verification_required=False,
        )
    if request.requester_name and request.requester_name in patient.authorized_contacts:
        return _decision(
            Outcome.RELEASE_MINIMUM_NECESSARY,
            [Step.VERIFY_IDENTITY, Step.CHECK_AUTHORIZED_CONTACTS, Step.LOG_DISCLOSURE],
            ["45 CFR 164.510(b)(1)"],
            "The patient has agreed that this person may be told about their care; share only what is "
            "directly relevant to that involvement.",
            scope=frozenset({Content.RELEVANT_TO_INVOLVEMENT}),
        )
    return _decision(
        Outcome.DECLINE,
        [Step.CHECK_AUTHORIZED_CONTACTS, Step.OFFER_ALTERNATIVE],
        ["45 CFR 164.510(b)(1)", "45 CFR 164.510(b)(3)"],
        "The patient is not here and has not agreed that this person may be told. Give no results; offer to "
        "have the patient call or sign an authorization.",
    )


def _provider(request: Request, patient: PatientFacts, verification: Verification) -> Decision:
    if request.purpose is not Purpose.TREATMENT:
        return _needs_authorization(request, patient, verification)
    if not identity_verified(request, verification):
        return _unverified(request, [Step.CALL_BACK_NUMBER_ON_FILE])
    return _decision(
        Outcome.RELEASE_FULL,
        [Step.VERIFY_IDENTITY],
        ["45 CFR 164.506(c)(2)", "45 CFR 164.502(b)(2)(i)"],
        "Disclosure to another provider for treatment is permitted, and minimum necessary does not apply to "
        "disclosures to a provider for treatment. Verify the office first (call back the number on file).",
        scope=_content(request),
    )


def _payer(request: Request, verification: Verification) -> Decision:
    if not identity_verified(request, verification):
        return _unverified(request, [Step.CALL_BACK_NUMBER_ON_FILE])
    scope = frozenset({Content.REQUESTED_DATES}) if request.ask is not Ask.APPOINTMENT_INFO else _content(request)
    return _decision(
        Outcome.RELEASE_MINIMUM_NECESSARY,
        [Step.VERIFY_IDENTITY, Step.CALL_BACK_NUMBER_ON_FILE, Step.LIMIT_TO_MINIMUM_NECESSARY],
        ["45 CFR 164.506(c)(1)", "45 CFR 164.502(b)", "45 CFR 164.514(d)"],
        "Disclosure for the practice's own payment is permitted, limited to the minimum necessary: only the "
        "dates of service the claim concerns, after calling the payer back on the number on file.",
        scope=scope,
    )


def _subpoena(request: Request, patient: PatientFacts, verification: Verification) -> Decision:
    if _valid_authorization(patient, request):
        return _authorized(request, verification)
    if request.signed_by_judge:
        return _decision(
            Outcome.RELEASE_MINIMUM_NECESSARY,
            [Step.VERIFY_AUTHORITY, Step.ROUTE_TO_PRIVACY_OFFICER, Step.LOG_DISCLOSURE],
            ["45 CFR 164.512(e)(1)(i)"],
            "A court order permits disclosing only the information the order expressly authorizes; have the "
            "privacy officer confirm the order and log the disclosure.",
            scope=frozenset({Content.ORDER_SPECIFIED}),
            acceptable=frozenset({Outcome.ROUTE_TO_PRIVACY_OFFICER}),
            verification_required=False,
        )
    return _decision(
        Outcome.ROUTE_TO_PRIVACY_OFFICER,
        [Step.CHECK_AUTHORIZATION, Step.ROUTE_TO_PRIVACY_OFFICER],
        ["45 CFR 164.512(e)(1)(ii)-(iv)"],
        "A subpoena not signed by a judge is not enough on its own: release only with satisfactory assurances "
        "(notice to the patient or a qualified protective order) or the patient's authorization. Route it.",
    )


def _police(request: Request, verification: Verification) -> Decision:
    if request.warrant_or_court_order and identity_verified(request, verification):
        return _decision(
            Outcome.RELEASE_MINIMUM_NECESSARY,
            [Step.VERIFY_IDENTITY, Step.VERIFY_AUTHORITY, Step.ROUTE_TO_PRIVACY_OFFICER, Step.LOG_DISCLOSURE],
            ["45 CFR 164.512(f)(1)(ii)(A)", "45 CFR 164.514(h)(2)(ii)"],
            "A court-ordered warrant permits disclosure in compliance with and as limited by the warrant. Verify "
            "the official and the document, involve the privacy officer, and log the disclosure.",
            scope=frozenset({Content.ORDER_SPECIFIED}),
            acceptable=frozenset({Outcome.ROUTE_TO_PRIVACY_OFFICER}),
        )
    return _decision(
        Outcome.ROUTE_TO_PRIVACY_OFFICER,
        [Step.VERIFY_IDENTITY, Step.ROUTE_TO_PRIVACY_OFFICER],
        ["45 CFR 164.512(f)(1)-(2)", "45 CFR 164.514(h)(2)(ii)"],
        "Without a warrant or court order the chart is not released. Verify the officer's identity and route to "
        "the privacy officer, who decides whether a narrow law-enforcement exception applies.",
    )


def _workers_comp(request: Request, verification: Verification) -> Decision:
    if not identity_verified(request, verification):
        return _unverified(request, [Step.CALL_BACK_NUMBER_ON_FILE])
    return _decision(
        Outcome.RELEASE_MINIMUM_NECESSARY,
        [Step.VERIFY_IDENTITY, Step.CALL_BACK_NUMBER_ON_FILE, Step.LIMIT_TO_MINIMUM_NECESSARY, Step.LOG_DISCLOSURE],
        ["45 CFR 164.512(l)", "45 CFR 164.502(b)"],
        "Disclosure to a workers' compensation carrier is permitted as workers' compensation law authorizes, "
        "limited to the claim (minimum necessary), and it is an accountable disclosure: log it.",
        scope=frozenset({Content.REQUESTED_DATES}),
    )


def _school_immunization(request: Request, verification: Verification) -> Decision:
    if not identity_verified(request, verification):
        return _unverified(request, [Step.CALL_BACK_NUMBER_ON_FILE])
    return _decision(
        Outcome.RELEASE_MINIMUM_NECESSARY,
        [Step.VERIFY_IDENTITY, Step.RECORD_PATIENT_AGREEMENT, Step.LIMIT_TO_MINIMUM_NECESSARY, Step.LOG_DISCLOSURE],
        ["45 CFR 164.512(b)(1)(vi)", "45 CFR 164.502(b)"],
        "A school that must have proof of immunization before admitting a student may be sent that proof, and "
        "only that, once the parent's (or adult student's) agreement is documented; no authorization form is "
        "needed. It is a public-health disclosure, so log it for the accounting.",
        scope=frozenset({Content.IMMUNIZATIONS}),
    )


def _authorized(request: Request, verification: Verification) -> Decision:
    if not identity_verified(request, verification):
        return _unverified(request, [Step.CHECK_AUTHORIZATION])
    citations = ["45 CFR 164.508(a)(1)"]
    if request.purpose is Purpose.MARKETING:
        citations.append("45 CFR 164.508(a)(3)")
    return _decision(
        Outcome.RELEASE_FULL,
        [Step.VERIFY_IDENTITY, Step.CHECK_AUTHORIZATION, Step.LOG_DISCLOSURE],
        citations,
        "A valid, unexpired authorization on file names this recipient and covers what is asked; release what "
        "it covers.",
        scope=_content(request),
    )


def _needs_authorization(request: Request, patient: PatientFacts, verification: Verification) -> Decision:
    if _valid_authorization(patient, request):
        return _authorized(request, verification)
    citations = ["45 CFR 164.508(a)(1)", "45 CFR 164.502(a)"]
    if request.purpose is Purpose.MARKETING or request.requester is Requester.MARKETER:
        citations = ["45 CFR 164.508(a)(3)", "45 CFR 164.502(a)"]
    return _decision(
        Outcome.DECLINE,
        [Step.CHECK_AUTHORIZATION, Step.OFFER_ALTERNATIVE],
        citations,
        "No permission in the rule covers this request, so it needs the patient's valid written authorization, "
        "and none is on file. Confirm nothing, not even that the person is a patient.",
    )


def _leave_message(patient: PatientFacts, request: Request) -> Decision:
    if request.channel in patient.no_messages:
        return _decision(
            Outcome.ACCOMMODATE,
            [Step.CHECK_COMMUNICATION_PREFERENCES],
            ["45 CFR 164.522(b)(1)"],
            "The patient asked not to be contacted this way; use the channel they chose instead.",
            verification_required=False,
        )
    return _decision(
        Outcome.RELEASE_MINIMUM_NECESSARY,
        [Step.CHECK_COMMUNICATION_PREFERENCES],
        ["HHS FAQ 198", "45 CFR 164.510(b)(3)", "45 CFR 164.522(b)"],
        "A message may give the practice name, a call-back number and a request to call back; no diagnosis, "
        "test, result or reason for the visit.",
        scope=frozenset({Content.PRACTICE_NAME, Content.CALLBACK_NUMBER, Content.REQUEST_TO_CALL_BACK}),
        verification_required=False,
    )


def _incident() -> Decision:
    return _decision(
        Outcome.ROUTE_TO_PRIVACY_OFFICER,
        [Step.REPORT_INCIDENT, Step.BREACH_RISK_ASSESSMENT, Step.COMPUTE_DEADLINE],
        ["45 CFR 164.402", "45 CFR 164.404(b)"],
        "Report the misdirected disclosure to the privacy officer at once. Unless a four-factor risk "
        "assessment shows a low probability of compromise, it is a breach: notify the individual without "
        "unreasonable delay and no later than 60 days after discovery.",
    )
