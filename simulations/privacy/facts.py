"""The vocabulary of a privacy request: who asks, what, how, why; the chart facts; the verification done.

Plain frozen dataclasses and string enums (values are what the YAML bank and the screens use).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .authorization import AuthorizationForm, authorization_check

PART2_COMPLIANCE_DATE = date(2026, 2, 16)
ADULT_AGE = 18


class Requester(StrEnum):
    PATIENT = "patient"
    PARENT = "parent"
    REPRESENTATIVE = "representative"  # court-appointed guardian or health-care agent (POA) of an adult
    EXECUTOR = "executor"  # executor/administrator of a deceased patient's estate
    FAMILY = "family"  # spouse, adult child, other relative, friend, roommate
    PROVIDER = "provider"  # another health-care provider's office
    PAYER = "payer"  # insurer / health plan
    EMPLOYER = "employer"
    ATTORNEY = "attorney"
    POLICE = "police"
    SCHOOL = "school"
    WORKERS_COMP = "workers_comp"  # workers' compensation carrier
    MARKETER = "marketer"
    COWORKER = "coworker"  # a colleague asking out of personal interest
    STAFF = "staff"  # the office itself: outgoing messages, incident reports


class Channel(StrEnum):
    PHONE = "phone"
    DESK = "desk"
    FAX = "fax"
    MAIL = "mail"


class Ask(StrEnum):
    FULL_RECORD = "full_record"
    SPECIFIC_DATES = "specific_dates"
    RESULTS = "results"
    VISIT_SUMMARY = "visit_summary"
    PSYCHOTHERAPY_NOTES = "psychotherapy_notes"
    PART2_RECORDS = "part2_records"
    APPOINTMENT_INFO = "appointment_info"
    ACCOUNTING = "accounting"  # accounting of disclosures
    AMENDMENT = "amendment"
    ACCESS_COPY = "access_copy"  # "send me a copy of my records"
    DIRECTIVE = "directive"  # individual directs a copy to a third party
    CONFIDENTIAL_COMMUNICATION = "confidential_communication"  # "only call my cell"
    LEAVE_MESSAGE = "leave_message"  # the office leaves a voicemail / message with someone else
    INCIDENT = "incident"  # PHI went to the wrong place
    IMMUNIZATIONS = "immunizations"  # proof of immunization (a school's request)


class Purpose(StrEnum):
    PERSONAL = "personal"
    TREATMENT = "treatment"
    PAYMENT = "payment"
    OPERATIONS = "operations"
    LITIGATION = "litigation"
    LAW_ENFORCEMENT = "law_enforcement"
    EMPLOYMENT = "employment"
    MARKETING = "marketing"
    WORKERS_COMP = "workers_comp"
    SCHOOL = "school"
    CURIOSITY = "curiosity"
    REMINDER = "reminder"


class Outcome(StrEnum):
    RELEASE_FULL = "release_full"
    RELEASE_MINIMUM_NECESSARY = "release_minimum_necessary"
    DECLINE = "decline"
    ROUTE_TO_PRIVACY_OFFICER = "route_to_privacy_officer"
    ACCEPT_ACCESS_REQUEST = "accept_access_request"
    ACCEPT_AMENDMENT_REQUEST = "accept_amendment_request"
    ACCEPT_ACCOUNTING_REQUEST = "accept_accounting_request"
    ACCOMMODATE = "accommodate"


class Step(StrEnum):
    """Process steps, listed in the order they must happen when several apply."""

    VERIFY_IDENTITY = "verify_identity"
    CALL_BACK_NUMBER_ON_FILE = "call_back_number_on_file"
    VERIFY_AUTHORITY = "verify_authority"  # personal-representative or official documents
    CHECK_MINOR_CONSENT = "check_minor_consent"
    CHECK_AUTHORIZED_CONTACTS = "check_authorized_contacts"
    CHECK_AUTHORIZATION = "check_authorization"
    CHECK_PART2_CONSENT = "check_part2_consent"
    VERIFY_DIRECTIVE = "verify_directive"
    CHECK_COMMUNICATION_PREFERENCES = "check_communication_preferences"
    RECORD_PATIENT_AGREEMENT = "record_patient_agreement"
    DO_NOT_ACCESS_RECORD = "do_not_access_record"
    LIMIT_TO_MINIMUM_NECESSARY = "limit_to_minimum_necessary"
    ATTACH_REDISCLOSURE_NOTICE = "attach_redisclosure_notice"
    UPDATE_COMMUNICATION_PREFERENCES = "update_communication_preferences"
    ROUTE_TO_PRIVACY_OFFICER = "route_to_privacy_officer"
    LOG_REQUEST = "log_request"
    LOG_DISCLOSURE = "log_disclosure"
    WRITTEN_DENIAL = "written_denial"
    REPORT_INCIDENT = "report_incident"
    BREACH_RISK_ASSESSMENT = "breach_risk_assessment"
    ROUTE_TO_PROVIDER = "route_to_provider"
    REPORT_PER_POLICY = "report_per_policy"
    OFFER_ALTERNATIVE = "offer_alternative"  # portal, call-back to the number on file, patient to authorize
    COMPUTE_DEADLINE = "compute_deadline"


STEP_ORDER = {step: index for index, step in enumerate(Step)}

# Actions a trainee can record that are wrong in themselves (graded by `Decision.critical_errors`).
ACTION_RELEASE = "release"  # marks the moment content was released, inside `steps_taken`
ACTION_OPEN_RECORD = "open_record"
ACTION_EDIT_CLINICAL_ENTRY = "edit_clinical_entry"
ACTION_REQUIRE_REASON = "require_reason"

# What may be released. Message items are not PHI about a condition; everything else is.
MESSAGE_CONTENT = frozenset({"practice_name", "callback_number", "request_to_call_back"})
NON_PHI_CONTENT = MESSAGE_CONTENT


class Content(StrEnum):
    FULL_RECORD = "full_record"
    REQUESTED_DATES = "requested_dates"
    RESULTS = "results"
    VISIT_SUMMARY = "visit_summary"
    PSYCHOTHERAPY_NOTES = "psychotherapy_notes"
    PART2_RECORDS = "part2_records"
    APPOINTMENT_INFO = "appointment_info"
    RELEVANT_TO_INVOLVEMENT = "relevant_to_involvement"  # 164.510(b): what bears on the person's involvement
    ORDER_SPECIFIED = "order_specified"  # only what a court order / warrant expressly covers
    PRACTICE_NAME = "practice_name"
    CALLBACK_NUMBER = "callback_number"
    REQUEST_TO_CALL_BACK = "request_to_call_back"
    IMMUNIZATIONS = "immunizations"


ASK_CONTENT = {
    Ask.FULL_RECORD: Content.FULL_RECORD,
    Ask.ACCESS_COPY: Content.FULL_RECORD,
    Ask.DIRECTIVE: Content.FULL_RECORD,
    Ask.SPECIFIC_DATES: Content.REQUESTED_DATES,
    Ask.RESULTS: Content.RESULTS,
    Ask.VISIT_SUMMARY: Content.VISIT_SUMMARY,
    Ask.PSYCHOTHERAPY_NOTES: Content.PSYCHOTHERAPY_NOTES,
    Ask.PART2_RECORDS: Content.PART2_RECORDS,
    Ask.APPOINTMENT_INFO: Content.APPOINTMENT_INFO,
    Ask.IMMUNIZATIONS: Content.IMMUNIZATIONS,
}

IDENTIFIERS = frozenset({"name", "dob", "address", "phone", "member_id", "last_four_ssn"})
PHOTO_ID_DOCUMENTS = frozenset({"photo_id", "drivers_license", "passport"})
OFFICIAL_DOCUMENTS = frozenset({"badge", "official_credentials", "agency_letterhead"})
ORGANISATION_DOCUMENTS = frozenset({"letterhead_request", "known_fax_number"})
ORGANISATIONS = frozenset(
    {
        Requester.PROVIDER,
        Requester.PAYER,
        Requester.WORKERS_COMP,
        Requester.EMPLOYER,
        Requester.SCHOOL,
        Requester.ATTORNEY,
        Requester.MARKETER,
    }
)


@dataclass(frozen=True)
class Request:
    requester: Requester
    ask: Ask
    channel: Channel = Channel.PHONE
    purpose: Purpose = Purpose.PERSONAL
    requester_name: str = ""
    received: date | None = None
    dates_requested: tuple[date, ...] = ()
    # written material that came with the request
    written_and_signed: bool = False  # the directive / request is in writing and signed by the individual
    recipient_identified: bool = False  # a directive names the recipient and where to send
    subpoena: bool = False
    signed_by_judge: bool = False  # the subpoena is a court order (signed by a judge or magistrate)
    satisfactory_assurances: bool = False  # 164.512(e)(1)(ii)-(iv): notice to patient or protective order
    warrant_or_court_order: bool = False


@dataclass(frozen=True)
class PersonalRepresentative:
    name: str
    relationship: str  # parent / guardian / health_care_agent / executor
    document: str = ""  # custody order, letters of guardianship, health-care POA, letters testamentary
    document_on_file: bool = False
    custody_flag: bool = False  # chart says custody documents must be checked before disclosing


@dataclass(frozen=True)
class Authorization:
    """A signed authorization on file (164.508). `form`, when given, is checked element by element."""

    recipient: str
    covers: frozenset[Ask]
    expires: date | None = None
    psychotherapy_specific: bool = False  # a separate authorization for psychotherapy notes (164.508(a)(2))
    revoked: bool = False
    form: AuthorizationForm | None = None

    def valid_on(self, day: date | None) -> bool:
        if self.revoked:
            return False
        if day is not None and self.expires is not None and self.expires < day:
            return False
        return not (self.form is not None and authorization_check(self.form, as_of=day))


@dataclass(frozen=True)
class Part2Consent:
    """A 42 CFR Part 2 written consent; `scope="tpo"` is the single consent for all future TPO."""

    scope: str = "tpo"
    recipient: str = ""  # blank = any recipient within the TPO consent
    revoked: bool = False


@dataclass(frozen=True)
class PatientFacts:
    name: str = ""
    age: int = 40
    deceased: bool = False
    minor_consent_service: bool = False  # the requested records are of a service the minor consented to alone
    personal_representatives: tuple[PersonalRepresentative, ...] = ()
    authorizations: tuple[Authorization, ...] = ()
    authorized_contacts: tuple[str, ...] = ()  # people the patient agreed may be told about their care
    part2_consent: Part2Consent | None = None
    holds_part2_records: bool = False
    abuse_suspected: bool = False  # reasonable belief the requester abuses / endangers the patient
    present_and_not_objecting: bool = False  # patient present, given the chance to object, did not
    no_messages: tuple[Channel, ...] = ()  # confidential-communication preference: no messages this way
    # 164.512(b)(1)(vi): the parent's (or adult student's) documented agreement to send proof of immunization
    immunization_agreement: bool = False


@dataclass(frozen=True)
class Verification:
    identifiers_checked: frozenset[str] = frozenset()
    called_back_number_on_file: bool = False
    documents_seen: frozenset[str] = frozenset()
