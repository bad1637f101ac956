"""Checking a HIPAA authorization form (45 CFR 164.508).

`authorization_check(form)` returns the problems that make the form invalid, each naming its paragraph:
the core elements of 164.508(c)(1), the required statements of 164.508(c)(2), and the defects of
164.508(b)(2). An empty list means the form is valid on `as_of`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class AuthorizationForm:
    """What a release-of-information form says. Empty strings mean the field was left blank."""

    # 164.508(c)(1)
    information_description: str = ""  # (i) specific and meaningful description of the information
    discloser: str = ""  # (ii) who may make the disclosure
    recipient: str = ""  # (iii) to whom it may be made
    purpose: str = ""  # (iv) each purpose; "at the request of the individual" is enough
    expiration: date | None = None  # (v) an expiration date ...
    expiration_event: str = ""  # (v) ... or an event related to the individual or the purpose
    signature: str = ""  # (vi) signature of the individual ...
    signed_on: date | None = None  # (vi) ... and date
    signed_by_representative: bool = False
    representative_authority: str = ""  # (vi) if a representative signs, a description of their authority
    # 164.508(c)(2)
    states_right_to_revoke: bool = False  # (i) right to revoke in writing, exceptions, how to revoke
    states_conditioning: bool = False  # (ii) whether treatment/payment/enrolment/eligibility can be conditioned
    states_redisclosure: bool = False  # (iii) information may be redisclosed and no longer protected
    # 164.508(b)(2) and (b)(3)-(b)(4)
    revoked: bool = False
    expiration_event_occurred: bool = False
    combined_with_other_document: bool = False  # compound authorization not allowed by (b)(3)
    conditions_treatment: bool = False  # conditions treatment on signing, outside the (b)(4) exceptions
    known_false: bool = False  # material information known to be false


@dataclass(frozen=True)
class AuthorizationProblem:
    code: str
    message: str
    citation: str


def authorization_check(form: AuthorizationForm, *, as_of: date | None = None) -> list[AuthorizationProblem]:
    """Every reason the form is invalid, in the order of the regulation. `as_of` enables the expiry check."""
    problems: list[AuthorizationProblem] = []

    def add(code: str, message: str, citation: str) -> None:
        problems.append(AuthorizationProblem(code, message, citation))

    if not form.information_description.strip():
        add("information", "No specific description of the information to be disclosed.", "45 CFR 164.508(c)(1)(i)")
    if not form.discloser.strip():
        add("discloser", "Does not name who is authorized to make the disclosure.", "45 CFR 164.508(c)(1)(ii)")
    if not form.recipient.strip():
        add("recipient", "Does not name the recipient of the disclosure.", "45 CFR 164.508(c)(1)(iii)")
    if not form.purpose.strip():
        add("purpose", "No description of the purpose of the disclosure.", "45 CFR 164.508(c)(1)(iv)")
    if form.expiration is None and not form.expiration_event.strip():
        add("expiration", "No expiration date or expiration event.", "45 CFR 164.508(c)(1)(v)")
    if not form.signature.strip() or form.signed_on is None:
        add("signature", "Not signed and dated.", "45 CFR 164.508(c)(1)(vi)")
    if form.signed_by_representative and not form.representative_authority.strip():
        add(
            "representative_authority",
            "Signed by a representative without a description of their authority to act.",
            "45 CFR 164.508(c)(1)(vi)",
        )
    if not form.states_right_to_revoke:
        add("revocation_statement", "Missing the statement of the right to revoke.", "45 CFR 164.508(c)(2)(i)")
    if not form.states_conditioning:
        add(
            "conditioning_statement",
            "Missing the statement on conditioning treatment, payment, enrolment or eligibility.",
            "45 CFR 164.508(c)(2)(ii)",
        )
    if not form.states_redisclosure:
        add(
            "redisclosure_statement",
            "Missing the statement that disclosed information may be redisclosed and no longer protected.",
            "45 CFR 164.508(c)(2)(iii)",
        )
    if as_of is not None and form.expiration is not None and form.expiration < as_of:
        add("expired", "The expiration date has passed.", "45 CFR 164.508(b)(2)(i)")
    if form.expiration_event_occurred:
        add("expired", "The expiration event is known to have occurred.", "45 CFR 164.508(b)(2)(i)")
    if form.revoked:
        add("revoked", "The authorization is known to have been revoked.", "45 CFR 164.508(b)(2)(iii)")
    if form.combined_with_other_document:
        add("compound", "Combined with another document in a way 164.508(b)(3) does not allow.", "45 CFR 164.508(b)(3)")
    if form.conditions_treatment:
        add("conditioning", "Treatment is conditioned on signing the authorization.", "45 CFR 164.508(b)(4)")
    if form.known_false:
        add("false", "Material information in the form is known to be false.", "45 CFR 164.508(b)(2)(v)")
    return problems


def authorization_missing_elements(form: AuthorizationForm) -> list[str]:
    """Just the codes of missing core elements and statements (164.508(c)(1)-(2)), for a checklist screen."""
    core = {
        "information",
        "discloser",
        "recipient",
        "purpose",
        "expiration",
        "signature",
        "representative_authority",
        "revocation_statement",
        "conditioning_statement",
        "redisclosure_statement",
    }
    return [problem.code for problem in authorization_check(form) if problem.code in core]
