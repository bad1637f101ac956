import io
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import pyx12.params
import pyx12.x12n_document

from simulations.billing.adjudication import adjudicate, remittance_build
from simulations.billing.claims import Frequency, Relationship
from simulations.billing.codes import npi_is_valid
from simulations.billing.remittance import Cas
from simulations.billing.x12 import Envelope, PayerDetails, X12Error, claim_to_837p, parse_835, remittance_to_835
from tests.simulations.billing.builders import TODAY, claim, line, person, plan

ENVELOPE = Envelope(
    sender_id="SIMPRACTICE",
    receiver_id="SIMPAYER1",
    control_number=17,
    created_at=datetime(2026, 3, 10, 9, 30, tzinfo=UTC),
)
PAYER = PayerDetails(tax_id="991234500", address="1 Payer Road", city="Springfield", state="IL", zip_code="62701")


def pyx12_errors(text: str) -> list[str] | None:
    """None when pyx12 finds the interchange valid, else every error message it reported."""
    report = io.StringIO()
    valid = pyx12.x12n_document.x12n_document(pyx12.params.params(), io.StringIO(text), None, None, fd_json=report)
    if valid:
        return None
    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "errors" and value:
                    found.extend(json.dumps(e) for e in value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(json.loads(report.getvalue() or "{}"))
    return found or ["invalid"]


def _segments(text: str, tag: str) -> list[list[str]]:
    return [s.strip().split("*") for s in text.split("~") if s.strip().startswith(tag + "*")]


def _full_claim(**overrides):
    return claim(
        lines=(line("L1"), line("L2", "J3301", "24.00", units=2, modifiers=("RT",), pointers=("A", "B"))),
        prior_authorization="AUTH778",
        **overrides,
    )


def test_837p_passes_pyx12_structural_validation():
    assert pyx12_errors(claim_to_837p(_full_claim(), envelope=ENVELOPE)) is None


def test_837p_for_a_dependent_replacement_claim_passes_pyx12():
    c = _full_claim(
        patient=person(first_name="JORDAN"),
        relationship=Relationship.CHILD,
        frequency=Frequency.REPLACEMENT,
        original_claim_ref="260310CLM1000",
        diagnoses=(
            "J20.9",
            "R05.1",
            "E11.9",
            "I10",
            "Z23",
            "R50.9",
            "R51.9",
            "J02.9",
            "J06.9",
            "M54.50",
            "K21.9",
            "N39.0",
        ),
    )
    text = claim_to_837p(c, envelope=ENVELOPE)
    assert pyx12_errors(text) is None
    assert _segments(text, "PAT") == [["PAT", "19"]]
    assert _segments(text, "NM1")[5][:5] == ["NM1", "QC", "1", "TESTPATIENT", "JORDAN"]
    assert len(_segments(text, "HI")[0]) == 13  # 12 diagnoses


def test_pyx12_rejects_a_broken_837p():
    text = claim_to_837p(_full_claim(), envelope=ENVELOPE)
    assert "SE*31*" in text
    assert pyx12_errors(text.replace("SE*31*", "SE*30*"))
    assert pyx12_errors(text.replace("HL*2*1*22*0~", "HL*2*1*22~"))


def test_837p_semantics_icd10_qualifiers_pointers_and_total():
    text = claim_to_837p(_full_claim(), envelope=ENVELOPE)
    (hi,) = _segments(text, "HI")
    assert hi[1:] == ["ABK:J209", "ABF:R051"]  # ICD-10-CM qualifiers, never ICD-9 BK
    sv1 = _segments(text, "SV1")
    assert [s[1] for s in sv1] == ["HC:SIM-OV-EST-15", "HC:J3301:RT"]
    assert [s[7] for s in sv1] == ["1", "1:2"]
    (clm,) = _segments(text, "CLM")
    assert Decimal(clm[2]) == sum(Decimal(s[2]) for s in sv1) == Decimal("134.00")
    assert clm[5] == "11:B:1"
    assert ["REF", "G1", "AUTH778"] in _segments(text, "REF")
    assert "NTE*ADD*SIMULATED TRAINING DATA" in text
    npis = [s[9] for s in _segments(text, "NM1") if s[1] in ("85", "82")]
    assert len(npis) == 2 and all(npi_is_valid(n) for n in npis)
    assert _segments(text, "ISA")[0][15] == "T"  # test interchange


@pytest.mark.parametrize("frequency", [Frequency.REPLACEMENT, Frequency.VOID])
def test_replacement_and_void_carry_frequency_and_original_reference(frequency):
    text = claim_to_837p(_full_claim(frequency=frequency, original_claim_ref="260310CLM1000"), envelope=ENVELOPE)
    assert _segments(text, "CLM")[0][5] == f"11:B:{frequency}"
    assert ["REF", "F8", "260310CLM1000"] in _segments(text, "REF")
    assert pyx12_errors(text) is None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"frequency": Frequency.REPLACEMENT}, "original claim reference"),
        (
            {"lines": (line(pointers=("A", "B", "C", "D", "E")),), "diagnoses": ("J20.9",) * 5},
            "1 to 4 diagnosis pointers",
        ),
        ({"lines": (line(pointers=("D",)),)}, "points to no diagnosis"),
        ({"diagnoses": ()}, "1 to 12 diagnoses"),
        ({"lines": ()}, "at least one service line"),
    ],
)
def test_837p_export_refuses_claims_the_format_cannot_carry(overrides, message):
    with pytest.raises(X12Error, match=message):
        claim_to_837p(claim(**overrides), envelope=ENVELOPE)


def _remittance(*claims_, method_plan=None):
    results = [adjudicate(c, method_plan or plan(), received_on=TODAY) for c in claims_]
    return remittance_build(
        results,
        payer_id="SIMPAYER1",
        payer_name="SIMULATED HEALTH PLAN",
        payee_name="SIMULATED FAMILY PRACTICE",
        payee_npi="1234567893",
        trace_number="EFT20260310",
        paid_on=TODAY,
    )


def test_generated_835_passes_pyx12_and_round_trips():
    denied = claim(
        claim_id="CLM2002", lines=(line("D1", "A4565", "25.00", modifiers=("GA",)), line("D2", "J3301", "12.00"))
    )
    remittance = _remittance(_full_claim(), denied)
    text = remittance_to_835(remittance, envelope=ENVELOPE, payer=PAYER)
    assert pyx12_errors(text) is None
    (bpr,) = _segments(text, "BPR")
    assert bpr[16] == "20260310" and bpr[4] == "ACH"
    assert _segments(text, "PER")[0][1] == "BL"
    assert parse_835(text) == remittance
    assert parse_835(text).balancing_errors() == []


def test_835_with_nothing_paid_is_a_non_payment_and_still_valid():
    remittance = _remittance(claim(member_id=""))
    text = remittance_to_835(remittance, envelope=ENVELOPE, payer=PAYER)
    assert _segments(text, "BPR")[0][:5] == ["BPR", "H", "0", "C", "NON"]
    assert pyx12_errors(text) is None
    assert parse_835(text) == remittance


def test_835_check_payment_is_valid():
    remittance = replace(_remittance(claim()), method="CHK")
    text = remittance_to_835(remittance, envelope=ENVELOPE, payer=PAYER)
    assert _segments(text, "BPR")[0][4] == "CHK"
    assert pyx12_errors(text) is None
    assert parse_835(text).method == "CHK"


def test_pyx12_flags_an_835_without_bpr16_or_per_bl():
    text = remittance_to_835(_remittance(claim()), envelope=ENVELOPE, payer=PAYER)
    assert pyx12_errors(text.replace("*98765432*20260310~", "*98765432~"))
    assert pyx12_errors(text.replace("PER*BL*PROVIDER SERVICES*TE*5555550199~\n", "").replace("SE*17*", "SE*16*"))


def test_more_than_six_adjustments_of_a_group_split_into_several_cas_segments():
    result = adjudicate(claim(), plan(), received_on=TODAY)
    many = tuple(Cas("CO", "45", Decimal("1.00")) for _ in range(7))
    ln = replace(result.lines[0], paid=Decimal("103.00"), allowed=Decimal("103.00"), adjustments=many)
    remittance = replace(_remittance(claim()), claims=(replace(result, lines=(ln,)),))
    text = remittance_to_835(remittance, envelope=ENVELOPE, payer=PAYER)
    assert [len(s) for s in _segments(text, "CAS")] == [19, 4]  # trailing empty quantity elements are dropped
    assert pyx12_errors(text) is None
    assert parse_835(text) == remittance


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hello", "not an X12 interchange"),
        (claim_to_837p(claim(), envelope=ENVELOPE), "not an 835"),
    ],
)
def test_parse_835_refuses_what_it_cannot_read(text, message):
    with pytest.raises(X12Error, match=message):
        parse_835(text)


def test_parse_835_refuses_claim_level_adjustments():
    text = remittance_to_835(_remittance(claim()), envelope=ENVELOPE, payer=PAYER)
    text = text.replace("NM1*QC", "CAS*OA*23*1~\nNM1*QC")
    with pytest.raises(X12Error, match="claim-level CAS"):
        parse_835(text)


def test_x12_free_text_never_carries_delimiters():
    c = claim(patient=person(last_name="O*BRIEN~X"), insured=person(last_name="O*BRIEN~X"))
    text = claim_to_837p(c, envelope=ENVELOPE)
    assert "O BRIEN X" in text and pyx12_errors(text) is None


def test_same_claim_and_envelope_give_the_same_file():
    assert claim_to_837p(claim(), envelope=ENVELOPE) == claim_to_837p(claim(), envelope=ENVELOPE)
    assert claim_to_837p(
        claim(), envelope=replace(ENVELOPE, created_at=ENVELOPE.created_at + timedelta(days=1))
    ) != claim_to_837p(claim(), envelope=ENVELOPE)


def test_line_with_another_place_of_service_carries_it_in_sv105():
    c = claim(lines=(line("1"), line("2", "SIM-OV-EST-25", "150.00", place_of_service="02")))
    text = claim_to_837p(c, envelope=ENVELOPE)
    assert [s[5] if len(s) > 5 else "" for s in _segments(text, "SV1")] == ["", "02"]
    assert pyx12_errors(text) is None
