"""The shipped calls (content/calls/*.yaml), parsed and validated once per process."""

from functools import cache

from .calls import CallDefinition, calls_load_all


@cache
def calls_registry() -> dict[str, CallDefinition]:
    return calls_load_all()


def call_definition(call_id: str) -> CallDefinition | None:
    return calls_registry().get(call_id)
