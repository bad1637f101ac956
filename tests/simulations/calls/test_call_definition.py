"""The loader names the file and line of every mistake in a call definition; the walker refuses illegal choices."""

import textwrap

import pytest

from simulations.calls import DefinitionError, IllegalChoice, call_load, call_score, call_walk

GOOD = """\
id: tiny
title: A tiny call
start: open
variables: {name: Ann}
variants:
  - {id: ann, values: {name: Ann}}
  - {id: bob, values: {name: Bob}}
sequence_checks:
  - {before: verify_identity, then: explain, message: Verify first.}
nodes:
  open:
    line: "Hello, it's {name}."
    choices:
      - {id: verify, text: "Date of birth?", next: talk, quality: optimal, tags: [verify_identity]}
      - {id: leak, text: "Your bill is $10.", next: talk, quality: poor, tags: [disclose_phi, explain]}
  talk:
    line: "Why do I owe money?"
    choices:
      - {id: explain, text: "Deductible.", next: note, quality: optimal, tags: [disclose_phi, explain]}
      - {id: guess, text: "No idea.", next: note, quality: acceptable}
  note:
    note:
      prompt: Document.
      required:
        - {element: verification, any: ["DOB", "date of birth"]}
        - {element: action, any: ["explained"]}
      example: "Verified DOB; explained deductible."
    next: end
  end:
    end: true
    outcome: Done.
"""


def _write(tmp_path, text):
    path = tmp_path / "call.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _error(tmp_path, text) -> DefinitionError:
    with pytest.raises(DefinitionError) as info:
        call_load(_write(tmp_path, text))
    return info.value


def test_a_good_definition_loads(tmp_path):
    call = call_load(_write(tmp_path, GOOD))
    assert call.id == "tiny"
    assert list(call.nodes) == ["open", "talk", "note", "end"]
    assert call.render("{name}", "bob") == "Bob"


def test_dangling_next_names_file_and_line_of_the_choice(tmp_path):
    error = _error(tmp_path, GOOD.replace("next: talk, quality: poor", "next: nowhere, quality: poor"))
    assert error.source.endswith("call.yaml")
    assert error.line == 15
    assert "'nowhere' is not a node" in error.message
    assert str(error).startswith(f"{error.source}:15:")


def test_unreachable_node_is_reported_at_its_line(tmp_path):
    text = GOOD + "  orphan:\n    end: true\n"
    error = _error(tmp_path, text)
    assert error.line == 32
    assert "'orphan' cannot be reached" in error.message


def test_a_loop_is_refused_because_every_path_must_end(tmp_path):
    error = _error(tmp_path, GOOD.replace("next: note, quality: acceptable", "next: open, quality: acceptable"))
    assert "loop forever" in error.message
    assert error.line == 11


def test_node_without_an_optimal_choice(tmp_path):
    error = _error(tmp_path, GOOD.replace("next: note, quality: optimal", "next: note, quality: poor"))
    assert error.message == "node 'talk': no optimal choice"
    assert error.line == 16


def test_optimal_choice_must_carry_the_top_weight(tmp_path):
    text = GOOD.replace("quality: poor, tags: [disclose_phi, explain]}", "quality: poor, weights: {service: 5}}")
    error = _error(tmp_path, text)
    assert "highest service weight" in error.message
    assert error.line == 14


def test_critical_choice_needs_a_known_code(tmp_path):
    error = _error(tmp_path, GOOD.replace("quality: acceptable}", "quality: critical}"))
    assert "a critical choice needs critical:" in error.message
    ok = call_load(
        _write(tmp_path, GOOD.replace("quality: acceptable}", "quality: critical, critical: medical_advice}"))
    )
    assert ok.nodes["talk"].choices[1].critical == "medical_advice"


def test_unknown_key_placeholder_and_variant_value(tmp_path):
    assert "unknown key 'qualty'" in _error(tmp_path, GOOD.replace("quality: acceptable", "qualty: acceptable")).message
    error = _error(tmp_path, GOOD.replace("it's {name}", "it's {nmae}"))
    assert error.message == "node 'open': placeholder {nmae} is not in variables"
    assert error.line == 11
    error = _error(tmp_path, GOOD.replace("{id: bob, values: {name: Bob}}", "{id: bob, values: {nam: Bob}}"))
    assert "'nam' is not in variables" in error.message
    assert error.line == 7


def test_duplicate_node_ids_and_bad_yaml(tmp_path):
    error = _error(tmp_path, GOOD + "  open:\n    end: true\n")
    assert error.message == "duplicate key 'open'"
    assert error.line == 32
    assert _error(tmp_path, "id: [unclosed\n").message.startswith("invalid YAML")


def test_sequence_check_and_note_example_are_checked(tmp_path):
    error = _error(tmp_path, GOOD.replace("then: explain,", "then: explian,"))
    assert "no choice is tagged 'explian'" in error.message
    error = _error(tmp_path, GOOD.replace("Verified DOB; explained deductible.", "Explained it."))
    assert "the example lacks verification" in error.message
    error = _error(tmp_path, GOOD.replace('any: ["explained"]', 'any: ["explained("]'))
    assert "bad pattern" in error.message


def test_walk_refuses_a_choice_not_offered_at_the_node(tmp_path):
    call = call_load(_write(tmp_path, GOOD))
    with pytest.raises(IllegalChoice) as info:
        call_walk(call, ["verify", "verify"])
    assert info.value.node_id == "talk"
    assert info.value.legal == ["explain", "guess"]
    with pytest.raises(IllegalChoice):
        call_walk(call, ["verify", "explain", "extra"], notes={"note": "x"})
    with pytest.raises(KeyError):
        call_walk(call, ["verify"], variant="carol")


def test_an_unfinished_walk_says_where_it_waits_and_does_not_pass(tmp_path):
    call = call_load(_write(tmp_path, GOOD))
    waiting = call_walk(call, ["verify"])
    assert not waiting.finished
    assert waiting.current_node == "talk"
    at_note = call_walk(call, ["verify", "explain"])
    assert at_note.current_node == "note"
    assert not call_score(call, at_note).passed


def test_scores_and_notes(tmp_path):
    call = call_load(_write(tmp_path, GOOD))
    result = call_score(call, call_walk(call, ["verify", "guess"], notes={"note": "Verified DOB."}, variant="bob"))
    # two choice nodes (1 each per axis) + note (1 each, half found): (1 + 0.5 + 0.5) / 3
    assert result.axes["service"] == 66.7
    assert result.notes[0].missing == ("action",)
    assert result.passed
    leak = call_score(call, call_walk(call, ["leak", "explain"], notes={"note": "Verified DOB; explained."}))
    assert [error.code for error in leak.critical_errors] == ["phi_before_verification"]
    assert leak.sequence_failures == ("Verify first.",)
    assert leak.meets({"compliance": 0}) is False
    ideal = call_score(call, call_walk(call, ["verify", "explain"], notes={"note": "DOB ok, explained"}))
    assert ideal.meets({"compliance": 100, "service": 80})


def test_prompt_shows_the_waiting_node_rendered_and_a_stable_shuffle(tmp_path):
    from simulations.calls import call_prompt

    call = call_load(_write(tmp_path, GOOD))
    prompt = call_prompt(call, call_walk(call, [], variant="bob"))
    assert prompt.node_id == "open"
    assert prompt.line == "Hello, it's Bob."
    assert sorted(prompt.choices) == [("leak", "Your bill is $10."), ("verify", "Date of birth?")]
    orders = {call_prompt(call, call_walk(call, []), seed=n).choices for n in range(20)}
    assert len(orders) == 2  # both orders occur across attempts ...
    again = call_prompt(call, call_walk(call, []), seed=7).choices
    assert again == call_prompt(call, call_walk(call, []), seed=7).choices  # ... and one attempt is stable
    note = call_prompt(call, call_walk(call, ["verify", "explain"]))
    assert note.node_id == "note"
    assert note.note_prompt == "Document."
    assert note.choices == ()
    assert call_prompt(call, call_walk(call, ["verify", "explain"], notes={"note": "x"})) is None
