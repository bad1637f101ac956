"""Migration 0010 (patient_coverages) moves each patient's single insurance into a primary Coverage row, and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from simulations.models import Coverage

BEFORE = [("simulations", "0009_records_desk")]
FIELDS = ("patient__key", "payer_key", "member_id", "group_number", "relationship", "subscriber_first_name",
          "subscriber_last_name", "subscriber_dob", "subscriber_sex")  # fmt: skip


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_primary_coverages_survive_a_migration_round_trip(shift):
    expected = sorted(Coverage.objects.for_shift(shift).filter(rank=1).values_list(*FIELDS))
    selfpay = shift.patients.filter(coverages__isnull=True).count()
    assert expected and selfpay  # the office has insured, dependent and self-pay patients
    assert any(row[4] == "child" for row in expected)
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("simulations")
    _migrate(BEFORE)  # back: the primary plan goes into the patient's columns
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM simulations_patient WHERE payer_key = 'selfpay'")
        assert cursor.fetchone()[0] == selfpay
    _migrate(latest)  # forward again: the columns become primary Coverage rows
    got = sorted(Coverage.objects.for_shift(shift).values_list(*FIELDS))
    assert got == expected
