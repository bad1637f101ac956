"""The coordination-of-benefits rules (simulations/cob.py), case by case (NAIC MDL-120 order of benefits)."""

from datetime import date

import pytest

from simulations.cob import CobUndecided, Plan, birthday_text, cob_order


def plan(key, dob, *, relationship="child", since=None, decree=False, custodial=None, name=None) -> Plan:
    return Plan(
        key=key,
        relationship=relationship,
        subscriber=name or key.title(),
        subscriber_dob=dob,
        covered_since=since,
        court_ordered=decree,
        custodial=custodial,
    )


def test_the_plan_covering_the_patient_as_subscriber_is_primary_over_a_dependent_plan():
    own = plan("own", date(1990, 12, 31), relationship="self")
    spouse = plan("spouse", date(1988, 1, 1), relationship="spouse")
    for a, b in ((own, spouse), (spouse, own)):
        decision = cob_order(a, b)
        assert (decision.primary.key, decision.rule) == ("own", "non-dependent")
    # even though the spouse's birthday comes first: the birthday rule is only for a dependent child
    assert "non-dependent/dependent rule" in cob_order(spouse, own).reason


def test_birthday_rule_the_parent_whose_birthday_comes_first_in_the_year_is_primary():
    mother, father = plan("mother", date(1988, 3, 3)), plan("father", date(1985, 7, 19))
    for a, b in ((mother, father), (father, mother)):
        decision = cob_order(a, b)
        assert (decision.primary.key, decision.secondary.key, decision.rule) == ("mother", "father", "birthday")
    assert "March 3 comes before Father's July 19" in cob_order(father, mother).reason


def test_birthday_rule_ignores_the_year_of_birth():
    older_mother, younger_father = plan("mother", date(1983, 9, 25)), plan("father", date(1990, 4, 30))
    assert cob_order(older_mother, younger_father).primary.key == "father"


def test_birthday_rule_compares_month_before_day():
    # 11/12 and 11/21, 03/07 and 07/03: look-alike dates that differ in the order that counts
    assert cob_order(plan("a", date(1990, 11, 21)), plan("b", date(1988, 11, 12))).primary.key == "b"
    assert cob_order(plan("a", date(1986, 3, 7)), plan("b", date(1985, 7, 3))).primary.key == "a"


def test_a_leap_day_birthday_sorts_as_february_29():
    assert cob_order(plan("leap", date(1992, 2, 29)), plan("march", date(1990, 3, 1))).primary.key == "leap"
    assert cob_order(plan("leap", date(1992, 2, 29)), plan("feb", date(1990, 2, 28))).primary.key == "feb"


def test_same_birthday_the_plan_that_covered_the_parent_longer_is_primary():
    mother = plan("mother", date(1989, 6, 15), since=date(2019, 3, 1))
    father = plan("father", date(1986, 6, 15), since=date(2011, 8, 1))
    decision = cob_order(mother, father)
    assert (decision.primary.key, decision.rule) == ("father", "longer-coverage")
    assert "June 15" in decision.reason and "covered the parent longer" in decision.reason


def test_same_birthday_and_same_coverage_start_is_undecided():
    with pytest.raises(CobUndecided, match="ask both plans"):
        cob_order(
            plan("a", date(1980, 1, 1), since=date(2010, 1, 1)), plan("b", date(1981, 1, 1), since=date(2010, 1, 1))
        )
    with pytest.raises(CobUndecided):
        cob_order(plan("a", date(1980, 1, 1)), plan("b", date(1981, 1, 1)))  # start dates unknown


def test_court_decree_overrides_the_birthday_rule_for_separated_parents():
    father = plan("father", date(1982, 2, 2))
    mother = plan("mother", date(1984, 11, 30), decree=True)
    decision = cob_order(father, mother, parents_together=False)
    assert (decision.primary.key, decision.rule) == ("mother", "court-decree")
    assert "court decree" in decision.reason.lower()


def test_a_decree_is_not_consulted_while_the_parents_live_together():
    father, mother = plan("father", date(1982, 2, 2)), plan("mother", date(1984, 11, 30), decree=True)
    assert cob_order(father, mother, parents_together=True).rule == "birthday"


def test_separated_parents_without_a_decree_custodial_parents_plan_first():
    father = plan("father", date(1982, 2, 2), custodial=False)
    mother = plan("mother", date(1984, 11, 30), custodial=True)
    decision = cob_order(father, mother, parents_together=False)
    assert (decision.primary.key, decision.rule) == ("mother", "custodial-parent")


def test_separated_parents_with_joint_responsibility_fall_back_to_the_birthday_rule():
    a = plan("a", date(1982, 2, 2), decree=True, custodial=True)
    b = plan("b", date(1984, 11, 30), decree=True, custodial=False)
    assert cob_order(a, b, parents_together=False).rule == "birthday"


def test_two_plans_as_subscriber_fall_to_the_longer_coverage():
    old_job = plan("old", date(1970, 5, 5), relationship="self", since=date(2001, 1, 1))
    new_job = plan("new", date(1970, 5, 5), relationship="self", since=date(2024, 1, 1))
    assert cob_order(new_job, old_job).primary.key == "old"


def test_birthday_text_is_month_and_day():
    assert birthday_text(date(1988, 3, 3)) == "March 3"
