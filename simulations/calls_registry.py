"""The shipped calls (content/calls/*.yaml), parsed and validated once per process, and the snapshots
sessions keep of them.

A session snapshots the YAML of its call when it starts (`CallSession.definition_yaml`, as a Shift
snapshots the office rules), and everything about that session (the engine, the transcript, the grade,
the supervisor's replay) reads the snapshot: an editor's change to content/calls/ after the session
started does not change a running or a graded call.
"""

from functools import cache, lru_cache
from pathlib import Path

from .calls import CallDefinition, call_parse, calls_load_all
from .calls.source import yaml_load


@cache
def calls_registry() -> dict[str, CallDefinition]:
    return calls_load_all()


def call_definition(call_id: str) -> CallDefinition | None:
    return calls_registry().get(call_id)


def call_snapshot_text(call_id: str) -> str | None:
    """The YAML of the call as the file is now (what a new session snapshots), or None if not shipped."""
    definition = call_definition(call_id)
    if definition is None:
        return None
    try:
        return Path(definition.source).read_text(encoding="utf-8")
    except OSError:
        return None


@lru_cache(maxsize=128)
def call_definition_from_snapshot(text: str, source: str) -> CallDefinition:
    """Parse and validate a snapshot (cached by its text: sessions of one version share the parse).
    Raises DefinitionError if the text is not a valid call."""
    return call_parse(yaml_load(text, source), source)


def session_call_definition(session) -> CallDefinition | None:
    """The definition a session runs on: its snapshot; sessions started before snapshots existed (blank
    snapshot) fall back to the shipped call."""
    if session.definition_yaml:
        return call_definition_from_snapshot(session.definition_yaml, f"snapshot of {session.call_id}")
    return call_definition(session.call_id)
