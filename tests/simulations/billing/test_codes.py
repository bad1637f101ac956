from decimal import Decimal

import pytest

from simulations.billing.codes import (
    CARCS,
    MODIFIERS,
    PROCEDURE_CODES,
    Action,
    CodeSystem,
    GroupCode,
    PatientOwes,
    carc_rule,
    icd10_is_billable,
    icd10_normalise,
    icd10_sex,
    icd10_x12,
    npi_check_digit,
    npi_is_valid,
)


def test_procedure_codes_are_practice_defined_or_hcpcs_level_ii_never_cpt():
    for code, proc in PROCEDURE_CODES.items():
        assert proc.code == code
        if proc.system is CodeSystem.PRACTICE:
            assert code.startswith("SIM-")
        else:
            # HCPCS Level II: one letter A-V then four digits; CPT codes are five digits.
            assert code[0] in "ABCDEGHJKLMPQRSTV" and code[1:].isdigit() and len(code) == 5
        assert proc.fee > 0 and proc.fee == proc.fee.quantize(Decimal("0.01"))


def test_required_practice_codes_are_on_the_fee_schedule():
    assert {"SIM-OV-NEW-30", "SIM-OV-EST-15", "SIM-IMM-ADMIN"} <= PROCEDURE_CODES.keys()


def test_modifier_list_holds_hcpcs_modifiers_and_excludes_cpt_modifiers():
    assert {"LT", "RT", "GA", "GY", "GZ", "KX"} <= MODIFIERS.keys()
    assert not {"25", "59", "50"} & MODIFIERS.keys()


@pytest.mark.parametrize(
    ("group", "carc", "action", "owes"),
    [
        ("PR", "1", Action.BILL_PATIENT, PatientOwes.YES),
        ("PR", "2", Action.BILL_PATIENT, PatientOwes.YES),
        ("PR", "3", Action.BILL_PATIENT, PatientOwes.YES),
        ("CO", "45", Action.CONTRACTUAL_WRITE_OFF, PatientOwes.NO),
        ("CO", "97", Action.WRITE_OFF, PatientOwes.NO),
        ("CO", "16", Action.CORRECT_AND_RESUBMIT, PatientOwes.NO),
        ("OA", "18", Action.VERIFY_DUPLICATE, PatientOwes.NO),
        ("CO", "22", Action.UPDATE_COB_BILL_PRIMARY, PatientOwes.NO),
        ("CO", "27", Action.VERIFY_ELIGIBILITY, PatientOwes.MAYBE),
        ("CO", "29", Action.WRITE_OFF, PatientOwes.NO),
        ("CO", "50", Action.APPEAL, PatientOwes.NO),
        ("CO", "109", Action.SEND_TO_CORRECT_PAYER, PatientOwes.NO),
        ("CO", "197", Action.OBTAIN_AUTHORIZATION, PatientOwes.NO),
        ("CO", "15", Action.OBTAIN_AUTHORIZATION, PatientOwes.NO),
        ("CO", "11", Action.CORRECT_AND_RESUBMIT, PatientOwes.NO),
        ("CO", "4", Action.CORRECT_AND_RESUBMIT, PatientOwes.NO),
        ("PR", "96", Action.BILL_PATIENT, PatientOwes.YES),
        ("CO", "96", Action.WRITE_OFF, PatientOwes.NO),
    ],
)
def test_carc_table_carries_the_oracle_action(group, carc, action, owes):
    assert carc_rule(carc).actions[GroupCode(group)] == (action, owes)


def test_no_co_adjustment_is_ever_owed_by_the_patient():
    for rule in CARCS.values():
        if GroupCode.CO in rule.actions:
            action, owes = rule.actions[GroupCode.CO]
            assert owes is not PatientOwes.YES and action is not Action.BILL_PATIENT, rule.code


def test_every_carc_has_our_own_description_and_at_least_one_group():
    for code, rule in CARCS.items():
        assert rule.code == code and rule.description and rule.groups


def test_unknown_carc_is_a_clear_error():
    with pytest.raises(KeyError, match="CARC 9999"):
        carc_rule("9999")


def test_icd10_billable_means_valid_leaf_code():
    assert icd10_is_billable("J20.9")
    assert icd10_is_billable("j209")  # normalised
    assert not icd10_is_billable("J20")  # category header, has children
    assert not icd10_is_billable("J20.99")  # does not exist
    assert not icd10_is_billable("")


def test_icd10_formats():
    assert icd10_normalise(" z23 ") == "Z23"
    assert icd10_normalise("E119") == "E11.9"
    assert icd10_x12("E11.9") == "E119"


def test_icd10_sex_specific_teaching_subset():
    assert icd10_sex("N40.0") == "M"
    assert icd10_sex("O80") == "F"
    assert icd10_sex("Z34.00") == "F"
    assert icd10_sex("J20.9") is None


def test_npi_luhn_with_80840_prefix():
    assert npi_is_valid("1234567893")  # the CMS example NPI
    assert not npi_is_valid("1234567890")
    assert not npi_is_valid("123456789")
    assert not npi_is_valid("12345678a3")
    assert npi_check_digit("123456789") == "3"
    with pytest.raises(ValueError, match="nine digits"):
        npi_check_digit("12")
