"""A call session runs on the snapshot of its call taken when it started: an editor's change to
content/calls/ afterwards changes neither the running call, its transcript nor its grade."""

import shutil
from pathlib import Path

import pytest

from simulations import call_services, calls_registry
from simulations.call_selectors import call_view
from simulations.calls import calls_load_all, ideal_path

CALLS = Path(__file__).resolve().parents[3] / "content" / "calls"
ORIGINAL_LINE = "I just got a bill for"


@pytest.fixture
def editable_calls(tmp_path, monkeypatch):
    """The shipped calls copied to a folder the test may edit, served as the live registry."""
    folder = tmp_path / "calls"
    shutil.copytree(CALLS, folder)
    monkeypatch.setattr(calls_registry, "calls_registry", lambda: calls_load_all(folder))
    calls_registry.call_definition_from_snapshot.cache_clear()
    return folder


def _edit(folder: Path) -> None:
    """An editor rewrites the opening line and renames the choice the session already took."""
    path = folder / "t1-angry-bill.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("This is {patient}. I just got a bill for", "EDITED: {patient} here, a bill for")
    text = text.replace("- id: empathise\n", "- id: empathise-v2\n")
    path.write_text(text, encoding="utf-8")


def test_the_session_snapshots_its_call_when_it_starts(editable_calls, call_page, trainee):
    session = call_services.call_session_start(learner=trainee, page=call_page)
    assert session.definition_yaml == (editable_calls / "t1-angry-bill.yaml").read_text(encoding="utf-8")


def test_editing_the_call_after_the_start_changes_neither_transcript_nor_grade(editable_calls, call_page, trainee):
    session = call_services.call_session_start(learner=trainee, page=call_page)
    session = call_services.call_session_choose(session=session, step=1, choice_id="empathise")
    _edit(editable_calls)
    live = calls_registry.call_definition("t1-angry-bill")
    assert "EDITED" in live.nodes["open"].line and live.nodes["open"].choice("empathise") is None

    view = call_view(session=session)
    assert ORIGINAL_LINE in view.definition.nodes["open"].line
    assert view.transcript.turns[0].choice_id == "empathise"
    choices, notes = ideal_path(view.definition, session.variant or None)
    assert choices[0] == "empathise"
    pending = choices[1:]
    while not (transcript := call_services.call_transcript(session=session)).finished:
        node = view.definition.nodes[transcript.current_node]
        step = len(transcript.turns) + 1
        if node.note is not None:
            session = call_services.call_session_choose(session=session, step=step, note=notes[node.id])
        else:
            session = call_services.call_session_choose(session=session, step=step, choice_id=pending.pop(0))
    session = call_services.call_session_finish(session=session)  # scored on the snapshot
    assert session.passed and session.score == 100
    assert ORIGINAL_LINE in call_view(session=session).definition.nodes["open"].line  # the supervisor's transcript

    # A session started after the edit runs on the new text.
    call_services.call_session_start(learner=trainee, page=call_page)
    newer = call_services.call_session_start(learner=trainee, page=call_page)
    assert "EDITED" in call_view(session=newer).definition.nodes["open"].line


def test_a_session_from_before_snapshots_falls_back_to_the_shipped_call(session):
    from simulations.models import CallSession

    CallSession.objects.filter(pk=session.pk).update(definition_yaml="")
    session.refresh_from_db()
    assert call_view(session=session).definition.id == "t1-angry-bill"
