from datetime import date

from simulations.privacy.accounting import Basis, Disclosure, accounting_filter
from simulations.privacy.breach import BreachFacts, Risk, breach_assess


def _d(day, basis, recipient="Recipient"):
    return Disclosure(day, recipient, Basis(basis), "records", "purpose")


def test_accounting_keeps_six_years_and_drops_tpo_individual_and_authorized_disclosures():
    log = [
        _d(date(2026, 5, 1), "treatment"),
        _d(date(2026, 4, 1), "payment"),
        _d(date(2025, 9, 1), "public_health", "County Health Department"),
        _d(date(2024, 2, 1), "authorization"),
        _d(date(2023, 6, 1), "to_individual"),
        _d(date(2022, 1, 10), "impermissible", "Dry cleaner (misdirected fax)"),
        _d(date(2020, 10, 6), "judicial", "Grant Law Office"),
        _d(date(2020, 10, 4), "law_enforcement", "City Police"),
        _d(date(2026, 3, 3), "limited_data_set"),
    ]
    result = accounting_filter(log, requested_on=date(2026, 10, 5))
    assert result.period_start == date(2020, 10, 5)
    assert [item.recipient for item in result.included] == [
        "Grant Law Office",
        "Dry cleaner (misdirected fax)",
        "County Health Department",
    ]
    reasons = {item.disclosure.basis: item.citation for item in result.excluded}
    assert reasons[Basis.TREATMENT] == "45 CFR 164.528(a)(1)(i)"
    assert reasons[Basis.TO_INDIVIDUAL] == "45 CFR 164.528(a)(1)(ii)"
    assert reasons[Basis.AUTHORIZATION] == "45 CFR 164.528(a)(1)(iv)"
    assert reasons[Basis.LIMITED_DATA_SET] == "45 CFR 164.528(a)(1)(viii)"
    assert reasons[Basis.LAW_ENFORCEMENT] == "45 CFR 164.528(a)(1)"  # outside the six years


def test_accounting_for_a_shorter_period_the_patient_asked_for():
    log = [_d(date(2025, 1, 1), "public_health"), _d(date(2026, 6, 1), "public_health")]
    result = accounting_filter(log, requested_on=date(2026, 10, 5), period_start=date(2026, 1, 1))
    assert [item.disclosed_on for item in result.included] == [date(2026, 6, 1)]


def test_misdirected_fax_without_a_low_risk_assessment_is_a_breach_with_deadlines():
    result = breach_assess(BreachFacts(discovered=date(2026, 4, 7), recipient=Risk.LOW))
    assert result.is_breach
    assert [(n.to, n.due) for n in result.notifications] == [
        ("individuals", date(2026, 6, 6)),
        ("hhs", date(2027, 3, 1)),
    ]
    assert "nature_and_extent" in result.reason


def test_all_four_factors_low_shows_low_probability_of_compromise():
    low = BreachFacts(
        discovered=date(2026, 4, 7),
        nature_and_extent=Risk.LOW,
        recipient=Risk.LOW,
        acquired_or_viewed=Risk.LOW,
        mitigation=Risk.LOW,
    )
    result = breach_assess(low)
    assert not result.is_breach
    assert result.citations == (
        "45 CFR 164.402(2)(i)",
        "45 CFR 164.402(2)(ii)",
        "45 CFR 164.402(2)(iii)",
        "45 CFR 164.402(2)(iv)",
    )


def test_encrypted_or_excepted_incidents_are_not_breaches():
    assert not breach_assess(BreachFacts(discovered=date(2026, 4, 7), unsecured=False)).is_breach
    excepted = breach_assess(BreachFacts(discovered=date(2026, 4, 7), exception="inadvertent_internal"))
    assert not excepted.is_breach
    assert excepted.citations == ("45 CFR 164.402(1)(ii)",)


def test_large_breach_goes_to_hhs_with_the_notices_and_to_the_media():
    result = breach_assess(
        BreachFacts(discovered=date(2026, 4, 7), individuals_affected=812, residents_of_one_state=640)
    )
    assert [(n.to, n.due, n.citation) for n in result.notifications] == [
        ("individuals", date(2026, 6, 6), "45 CFR 164.404(b)"),
        ("hhs", None, "45 CFR 164.408(b)"),
        ("media", date(2026, 6, 6), "45 CFR 164.406"),
    ]


def test_each_assessment_names_its_conclusion():
    day = date(2026, 4, 7)
    assert breach_assess(BreachFacts(discovered=day, unsecured=False)).conclusion == "secured"
    assert breach_assess(BreachFacts(discovered=day, exception="could_not_retain")).conclusion == "exception"
    low = BreachFacts(
        discovered=day,
        nature_and_extent=Risk.LOW,
        recipient=Risk.LOW,
        acquired_or_viewed=Risk.LOW,
        mitigation=Risk.LOW,
    )
    assert breach_assess(low).conclusion == "low_probability"
    assert breach_assess(BreachFacts(discovered=day)).conclusion == "breach"


def test_latest_dates_put_the_contemporaneous_hhs_notice_on_the_individual_deadline():
    large = breach_assess(
        BreachFacts(discovered=date(2026, 5, 15), individuals_affected=612, residents_of_one_state=604)
    )
    assert large.latest_dates() == {
        "individuals": date(2026, 7, 14),
        "hhs": date(2026, 7, 14),
        "media": date(2026, 7, 14),
    }
    small = breach_assess(BreachFacts(discovered=date(2026, 5, 15), individuals_affected=31))
    assert small.latest_dates() == {"individuals": date(2026, 7, 14), "hhs": date(2027, 3, 1)}
    # exactly 500 residents of a state is not "more than 500": no media notice, but HHS with the notices
    edge = breach_assess(
        BreachFacts(discovered=date(2026, 5, 15), individuals_affected=500, residents_of_one_state=500)
    )
    assert set(edge.latest_dates()) == {"individuals", "hhs"} and edge.latest_dates()["hhs"] == date(2026, 7, 14)
    assert breach_assess(BreachFacts(discovered=date(2026, 5, 15), unsecured=False)).latest_dates() == {}


def test_the_emergency_access_policy_accepts_only_emergencies_and_scoped_complete_requests():
    from simulations.privacy.emergency_access import JUSTIFIED, SECTIONS, break_glass_problems

    assert {"emergency_treatment", "urgent_continuity"} == JUSTIFIED
    ok = "ED physician needs the allergy list now; team unreachable."
    assert break_glass_problems(reason="personal", justification=ok, sections=["entries"]) == []  # graded, not refused
    assert break_glass_problems(reason="nope", justification=ok, sections=["entries"])
    assert break_glass_problems(reason="emergency_treatment", justification="now", sections=["entries"])
    assert break_glass_problems(reason="emergency_treatment", justification=ok, sections=list(SECTIONS))
    assert break_glass_problems(reason="emergency_treatment", justification=ok, sections=[])
