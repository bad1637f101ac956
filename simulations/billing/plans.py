"""A member's payer plan: the rules a simulated payer adjudicates a claim with.

Used by both the claim scrubber (what the payer will reject) and adjudication.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from .codes import ServiceKind
from .money import ZERO, money


@dataclass(frozen=True, kw_only=True)
class FrequencyLimit:
    """At most ``count`` paid services of a code within ``days`` days (e.g. 1 wellness visit / 365)."""

    count: int
    days: int


@dataclass(frozen=True, kw_only=True)
class PlanRules:
    payer_id: str
    payer_name: str
    member_id: str
    effective_from: date
    effective_to: date | None = None  # None: coverage still active
    covered_codes: frozenset[str] = frozenset()
    auth_required_codes: frozenset[str] = frozenset()
    timely_filing_days: int = 365
    contracted_fees: dict[str, Decimal] = field(default_factory=dict)  # per unit
    deductible_remaining: Decimal = ZERO
    copays: dict[ServiceKind, Decimal] = field(default_factory=dict)
    coinsurance_percent: Decimal = ZERO
    cost_share_exempt_kinds: frozenset[ServiceKind] = frozenset({ServiceKind.PREVENTIVE})
    frequency_limits: dict[str, FrequencyLimit] = field(default_factory=dict)
    # Diagnoses (ICD-10-CM prefixes) that support a code; a code absent here needs none in particular.
    supporting_diagnoses: dict[str, tuple[str, ...]] = field(default_factory=dict)
    cob_order: int = 1  # 1 primary, 2 secondary...: a secondary billed first answers CO-22

    def __post_init__(self) -> None:
        object.__setattr__(self, "deductible_remaining", money(self.deductible_remaining))
        if not 0 <= self.coinsurance_percent <= 100:
            raise ValueError("coinsurance is a percentage between 0 and 100")
        if self.cob_order < 1:
            raise ValueError("COB order starts at 1 (primary)")

    def is_active_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def after_deductible(self, applied: Decimal) -> PlanRules:
        """The same plan once ``applied`` of the deductible has been met (for the next claim)."""
        return replace(self, deductible_remaining=max(self.deductible_remaining - applied, ZERO))
