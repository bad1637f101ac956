"""HTML to PDF with WeasyPrint under a hard time limit.

A render runs in a long-lived worker process (started with "spawn" on first use, one per server process,
recycled every WORKER_MAX_JOBS renders) and is killed when it takes longer than
CERTIFICATE_RENDER_TIMEOUT_SECONDS: hostile or broken input cannot hold a request or a task worker
forever. Keeping the worker alive keeps a render at its in-process cost (≈ 0.25 s) instead of paying
Python, Django and WeasyPrint start-up (≈ 1.5 s) each time. With the setting at 0 (the test settings)
the render runs in the calling process with no limit. Callers hold HTML already rendered from the
database; the worker only lays it out, fetching through `SafeURLFetcher`.
"""

import logging
import multiprocessing
import os
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

WORKER_START_SECONDS = 60  # importing Django and WeasyPrint on a busy two-core machine
WORKER_MAX_JOBS = 500  # a fresh process now and then: WeasyPrint's caches only grow


class RenderError(Exception):
    """The PDF could not be produced; the message says why (shown to staff, logged)."""


class RenderTimeout(RenderError):
    pass


def html_to_pdf(html: str, *, max_pages: int | None = None) -> bytes:
    """Lay out `html` as a tagged PDF (PDF/UA-1: structure, language and title for screen readers)."""
    from weasyprint import HTML

    from .fetcher import BASE_URL, SafeURLFetcher

    document = HTML(string=html, base_url=BASE_URL, url_fetcher=SafeURLFetcher()).render()
    if max_pages is not None and len(document.pages) > max_pages:
        raise RenderError(f"The document ran to {len(document.pages)} pages; the limit is {max_pages}.")
    return document.write_pdf(pdf_variant="pdf/ua-1")


def _serve(connection, settings_module: str) -> None:  # pragma: no cover - runs in the worker process
    """The worker's loop: set up Django, say "ready", then run one job at a time until the pipe closes."""
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    import django

    django.setup()
    import weasyprint  # noqa: F401  (imported once here, not in the first job's time)

    connection.send(("ready",))
    while True:
        try:
            func, args, kwargs = connection.recv()
        except EOFError:
            return
        except Exception as error:  # noqa: BLE001 - e.g. a job naming a function this process cannot import
            connection.send(("error", f"{type(error).__name__}: {error}"))
            continue
        try:
            connection.send(("ok", func(*args, **kwargs)))
        except RenderError as error:
            connection.send(("render_error", str(error)))
        except Exception as error:  # noqa: BLE001 - everything goes back to the caller, the worker lives on
            connection.send(("error", f"{type(error).__name__}: {error}"))


def _settings_module() -> str:
    # The environment first: under override_settings, settings.SETTINGS_MODULE reads None.
    return os.environ.get("DJANGO_SETTINGS_MODULE") or settings.SETTINGS_MODULE


class _Worker:
    def __init__(self):
        context = multiprocessing.get_context("spawn")
        self.connection, child = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(child, _settings_module()), daemon=True, name="pdf-render-worker"
        )
        self.process.start()
        child.close()
        self.owner = os.getpid()
        self.jobs = 0
        if not self.connection.poll(WORKER_START_SECONDS):
            self.stop()
            raise RenderError("The PDF worker did not start in time.")
        self.connection.recv()

    def usable(self) -> bool:
        return self.owner == os.getpid() and self.process.is_alive() and self.jobs < WORKER_MAX_JOBS

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.connection.close()


_lock = threading.Lock()
_worker: _Worker | None = None


def _take_worker() -> _Worker:
    global _worker
    if _worker is not None and not _worker.usable():
        if _worker.owner == os.getpid():  # after a fork the child must not kill its parent's worker
            _worker.stop()
        _worker = None
    if _worker is None:
        _worker = _Worker()
    return _worker


def _drop_worker() -> None:
    global _worker
    if _worker is not None:
        _worker.stop()
        _worker = None


def run_guarded(func: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    """`func(*args, **kwargs)` in the render worker, killed after CERTIFICATE_RENDER_TIMEOUT_SECONDS.

    `func` must be importable by name (a module-level function) and its arguments picklable.
    Raises RenderTimeout when the limit passes, RenderError for any failure in the worker.
    """
    timeout = settings.CERTIFICATE_RENDER_TIMEOUT_SECONDS
    if not timeout:
        try:
            return func(*args, **kwargs)
        except RenderError:
            raise
        except Exception as error:  # the same failure either way, whether or not a worker ran it
            raise RenderError(f"{type(error).__name__}: {error}") from error
    with _lock:  # one job at a time per worker; threads of one server process queue here
        worker = _take_worker()
        worker.jobs += 1
        try:
            worker.connection.send((func, args, kwargs))
            if not worker.connection.poll(timeout):
                _drop_worker()
                logger.warning("PDF render stopped after %s s", timeout)
                raise RenderTimeout(f"Producing the PDF took longer than {timeout} seconds and was stopped.")
            outcome = worker.connection.recv()
        except (EOFError, OSError) as error:
            _drop_worker()
            raise RenderError("The PDF worker stopped unexpectedly.") from error
    if outcome[0] == "ok":
        return outcome[1]
    raise RenderError(outcome[1])


def render_pdf(html: str, *, max_pages: int | None = None) -> bytes:
    """The guarded render every PDF of the site goes through (certificates, training records)."""
    return run_guarded(html_to_pdf, html, max_pages=max_pages)
