"""Branching customer-service calls: definitions (content/calls/*.yaml), walking and scoring. No Django.

Dependencies run one way: engine -> definition -> source.
"""

from .definition import Axis, CallDefinition, Quality, call_load, call_parse, calls_load_all
from .engine import CallResult, IllegalChoice, Prompt, Transcript, call_prompt, call_score, call_walk, ideal_path
from .source import DefinitionError

__all__ = [
    "Axis",
    "CallDefinition",
    "CallResult",
    "DefinitionError",
    "IllegalChoice",
    "Prompt",
    "Quality",
    "Transcript",
    "call_load",
    "call_parse",
    "call_prompt",
    "call_score",
    "call_walk",
    "calls_load_all",
    "ideal_path",
]
