"""Deadline arithmetic for privacy requests and breaches.

Every day count is a parameter (PRACTICE_OFFICE.md, Open items: "keep legal deadlines as configurable rule
parameters"; a proposed rule once suggested shortening the access deadline). The defaults are the current
federal figures; all periods are calendar days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class DeadlineParameters:
    # 45 CFR 164.524(b)(2)(i)-(ii): act on an access request within 30 days, one 30-day extension.
    access_days: int = 30
    access_extension_days: int = 30
    # 45 CFR 164.528(c)(1): act on an accounting request within 60 days, one 30-day extension.
    accounting_days: int = 60
    accounting_extension_days: int = 30
    # 45 CFR 164.526(b)(2): act on an amendment request within 60 days, one 30-day extension.
    amendment_days: int = 60
    amendment_extension_days: int = 30
    # 45 CFR 164.404(b): notify individuals without unreasonable delay and within 60 calendar days of discovery.
    breach_individual_days: int = 60
    # 45 CFR 164.408(c): breaches of fewer than 500 individuals go to HHS within 60 days after the end of
    # the calendar year in which they were discovered.
    hhs_small_breach_days_after_year_end: int = 60
    # 45 CFR 164.408(b), 164.406: 500 or more triggers HHS (contemporaneous) and, per state, media notice.
    large_breach_threshold: int = 500
    # 45 CFR 164.528(a)(1): the accounting covers disclosures in the six years before the request.
    accounting_lookback_years: int = 6


DEFAULT_DEADLINES = DeadlineParameters()


def _due(received: date, days: int, extension_days: int, extended: bool) -> date:
    return received + timedelta(days=days + (extension_days if extended else 0))


def access_due(received: date, *, extended: bool = False, params: DeadlineParameters = DEFAULT_DEADLINES) -> date:
    """Right of access (164.524(b)(2)); an extension needs a written notice with the reason and new date."""
    return _due(received, params.access_days, params.access_extension_days, extended)


def accounting_due(received: date, *, extended: bool = False, params: DeadlineParameters = DEFAULT_DEADLINES) -> date:
    """Accounting of disclosures (164.528(c)(1))."""
    return _due(received, params.accounting_days, params.accounting_extension_days, extended)


def amendment_due(received: date, *, extended: bool = False, params: DeadlineParameters = DEFAULT_DEADLINES) -> date:
    """Amendment request (164.526(b)(2))."""
    return _due(received, params.amendment_days, params.amendment_extension_days, extended)


def breach_individual_notice_due(discovered: date, *, params: DeadlineParameters = DEFAULT_DEADLINES) -> date:
    """Latest date for notice to individuals (164.404(b)). "Without unreasonable delay" can be earlier.

    Discovery is the first day the breach is known, or by exercising reasonable diligence would have been
    known, to any workforce member other than the person who committed it (164.404(a)(2)).
    """
    return discovered + timedelta(days=params.breach_individual_days)


def hhs_small_breach_log_due(discovered: date, *, params: DeadlineParameters = DEFAULT_DEADLINES) -> date:
    """Annual HHS submission for a breach of fewer than 500 individuals (164.408(c))."""
    return date(discovered.year, 12, 31) + timedelta(days=params.hhs_small_breach_days_after_year_end)


def years_before(day: date, years: int) -> date:
    """The same calendar date `years` earlier (29 February falls back to 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)
