"""Claim and plan builders for the billing tests: fictional people, fictional (Luhn-valid) NPIs."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from simulations.billing.claims import Address, Claim, Frequency, Person, Provider, Relationship, ServiceLine, Sex
from simulations.billing.codes import ServiceKind, npi_check_digit
from simulations.billing.plans import FrequencyLimit, PlanRules

DOS = date(2026, 3, 2)
TODAY = date(2026, 3, 10)
BILLING_NPI = "123456789" + npi_check_digit("123456789")
RENDERING_NPI = "198765432" + npi_check_digit("198765432")
ADDRESS = Address(line1="100 Simulation Way", city="Springfield", state="IL", zip_code="627010001")


def person(**overrides) -> Person:
    base = Person(
        last_name="TESTPATIENT", first_name="ALEX", birth_date=date(1980, 5, 17), sex=Sex.FEMALE, address=ADDRESS
    )
    return replace(base, **overrides)


def line(line_id="1", code="SIM-OV-EST-15", charge="110.00", **overrides) -> ServiceLine:
    return ServiceLine(
        line_id=line_id, service_date=overrides.pop("service_date", DOS), code=code, charge=Decimal(charge), **overrides
    )


def claim(**overrides) -> Claim:
    patient = person()
    base = Claim(
        claim_id="CLM1001",
        patient=patient,
        insured=patient,
        relationship=Relationship.SELF,
        member_id="SIMW123456789",
        group_number="GRP5001",
        payer_id="SIMPAYER1",
        payer_name="SIMULATED HEALTH PLAN",
        billing_provider=Provider(
            name="SIMULATED FAMILY PRACTICE", npi=BILLING_NPI, address=ADDRESS, tax_id="991234567"
        ),
        rendering_provider=Provider(name="DOCTOR", first_name="SAMPLE", npi=RENDERING_NPI, address=ADDRESS),
        diagnoses=("J20.9", "R05.1"),
        lines=(line(),),
        frequency=Frequency.ORIGINAL,
    )
    return replace(base, **overrides)


def plan(**overrides) -> PlanRules:
    base = PlanRules(
        payer_id="SIMPAYER1",
        payer_name="SIMULATED HEALTH PLAN",
        member_id="SIMW123456789",
        effective_from=date(2026, 1, 1),
        covered_codes=frozenset(
            {"SIM-OV-NEW-30", "SIM-OV-EST-15", "SIM-OV-EST-25", "SIM-IMM-ADMIN", "G0008", "G0439", "J1100", "J3301"}
        ),
        auth_required_codes=frozenset({"J3301"}),
        timely_filing_days=90,
        contracted_fees={
            "SIM-OV-NEW-30": Decimal("120.00"),
            "SIM-OV-EST-15": Decimal("80.00"),
            "SIM-OV-EST-25": Decimal("105.00"),
            "SIM-IMM-ADMIN": Decimal("25.00"),
            "G0008": Decimal("22.00"),
            "G0439": Decimal("115.00"),
            "J1100": Decimal("0.50"),
            "J3301": Decimal("9.00"),
        },
        deductible_remaining=Decimal("0.00"),
        copays={ServiceKind.OFFICE_VISIT: Decimal("20.00")},
        coinsurance_percent=Decimal("20"),
        frequency_limits={"G0439": FrequencyLimit(count=1, days=365)},
        supporting_diagnoses={"SIM-IMM-ADMIN": ("Z23",), "G0008": ("Z23",)},
    )
    return replace(base, **overrides)
