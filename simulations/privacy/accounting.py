"""Accounting of disclosures (45 CFR 164.528).

`accounting_filter(disclosures, requested_on=...)` splits the practice's disclosure log into what goes into
the accounting and what is excluded, each exclusion with its paragraph of 164.528(a)(1). The period is the
six years before the request (164.528(a)(3)), or a shorter period the individual asks for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .deadlines import DEFAULT_DEADLINES, DeadlineParameters, years_before


class Basis(StrEnum):
    """Why a disclosure was made (the legal basis recorded in the disclosure log)."""

    TREATMENT = "treatment"
    PAYMENT = "payment"
    OPERATIONS = "operations"
    TO_INDIVIDUAL = "to_individual"
    INCIDENTAL = "incidental"
    AUTHORIZATION = "authorization"
    DIRECTORY_OR_INVOLVED_PERSONS = "directory_or_involved_persons"
    NATIONAL_SECURITY = "national_security"
    CORRECTIONAL_OR_CUSTODY = "correctional_or_custody"
    LIMITED_DATA_SET = "limited_data_set"
    # accountable disclosures (164.512 and impermissible ones)
    REQUIRED_BY_LAW = "required_by_law"
    PUBLIC_HEALTH = "public_health"
    ABUSE_REPORT = "abuse_report"
    HEALTH_OVERSIGHT = "health_oversight"
    JUDICIAL = "judicial"
    LAW_ENFORCEMENT = "law_enforcement"
    WORKERS_COMP = "workers_comp"
    RESEARCH = "research"
    IMPERMISSIBLE = "impermissible"  # e.g. a misdirected fax


EXCLUDED = {
    Basis.TREATMENT: "45 CFR 164.528(a)(1)(i)",
    Basis.PAYMENT: "45 CFR 164.528(a)(1)(i)",
    Basis.OPERATIONS: "45 CFR 164.528(a)(1)(i)",
    Basis.TO_INDIVIDUAL: "45 CFR 164.528(a)(1)(ii)",
    Basis.INCIDENTAL: "45 CFR 164.528(a)(1)(iii)",
    Basis.AUTHORIZATION: "45 CFR 164.528(a)(1)(iv)",
    Basis.DIRECTORY_OR_INVOLVED_PERSONS: "45 CFR 164.528(a)(1)(v)",
    Basis.NATIONAL_SECURITY: "45 CFR 164.528(a)(1)(vi)",
    Basis.CORRECTIONAL_OR_CUSTODY: "45 CFR 164.528(a)(1)(vii)",
    Basis.LIMITED_DATA_SET: "45 CFR 164.528(a)(1)(viii)",
}


@dataclass(frozen=True)
class Disclosure:
    """One row of the disclosure log; the fields an accounting must show (164.528(b)(2))."""

    disclosed_on: date
    recipient: str
    basis: Basis
    description: str  # brief description of the PHI disclosed
    purpose: str  # brief statement of the purpose
    recipient_address: str = ""


@dataclass(frozen=True)
class Excluded:
    disclosure: Disclosure
    citation: str


@dataclass(frozen=True)
class Accounting:
    period_start: date
    period_end: date
    included: list[Disclosure]
    excluded: list[Excluded]


def accounting_filter(
    disclosures: Iterable[Disclosure],
    *,
    requested_on: date,
    period_start: date | None = None,
    compliance_date: date = date(2003, 4, 14),
    params: DeadlineParameters = DEFAULT_DEADLINES,
) -> Accounting:
    """The disclosures that belong in the accounting, oldest first, and the excluded ones with the reason."""
    earliest = years_before(requested_on, params.accounting_lookback_years)
    start = max(period_start or earliest, earliest)
    included: list[Disclosure] = []
    excluded: list[Excluded] = []
    for item in sorted(disclosures, key=lambda d: d.disclosed_on):
        if item.disclosed_on < start or item.disclosed_on > requested_on:
            excluded.append(Excluded(item, "45 CFR 164.528(a)(1)"))  # outside the six-year (or asked) period
        elif item.disclosed_on < compliance_date:
            excluded.append(Excluded(item, "45 CFR 164.528(a)(1)(ix)"))
        elif item.basis in EXCLUDED:
            excluded.append(Excluded(item, EXCLUDED[item.basis]))
        else:
            included.append(item)
    return Accounting(start, requested_on, included, excluded)
