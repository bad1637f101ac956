"""Jobs for the render worker in tests: importable by name, as the worker process needs them to be."""

import os
import time


def sleep_then_return(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def fail_with_value_error() -> None:
    raise ValueError("broken input")
