"""Certificate rendering throughput: `.venv/bin/python bench/certificates.py [renders]`.

Renders N (default 200) certificates with the real template, QR code and safe URL fetcher, twice:
in this process (no time limit), then through the render worker process with its time limit, as the
site does (coursesite/certificates/pdf.py), and prints figures (it is not a test). Needs no database:
the certificates and their template (the default design, no images) are unsaved model instances. Compare with docs QUALITY.md: ≈ 225 ms mean / 248 ms p95 warm on 2 cores.
"""

import os
import statistics
import sys
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coursesite.settings.test")


def main(renders: int) -> None:
    import django

    django.setup()
    started = time.perf_counter()
    from coursesite.certificates.models import Certificate, CertificateTemplate, new_verification_code
    from coursesite.certificates.rendering import certificate_pdf_bytes

    import_seconds = time.perf_counter() - started

    def certificate(number: int) -> Certificate:
        return Certificate(
            pk=number,
            code=new_verification_code(),
            learner_name=f"Bench Learner {number:04d}",
            course_title="Confidentiality and the Law",
            hours=Decimal("6.5"),
            issuer="Front Desk Academy",
            signatory_name="Jordan Example",
            signatory_title="Director of Training",
            issued_at=datetime(2026, 11, 27, 15, tzinfo=UTC),
            expires_at=datetime(2027, 11, 27, 15, tzinfo=UTC),
        )

    design = CertificateTemplate(name="Bench", issuer="Front Desk Academy", signatory_title="Director of Training")
    print(f"import (Django app + WeasyPrint): {import_seconds * 1000:.0f} ms")
    from django.conf import settings

    from coursesite.certificates import pdf

    for label, timeout in (("in this process", 0), ("in the worker, time-limited", 20)):
        settings.CERTIFICATE_RENDER_TIMEOUT_SECONDS = timeout
        started = time.perf_counter()
        size = len(certificate_pdf_bytes(certificate(0), template=design))
        first = time.perf_counter() - started
        timings = []
        total_started, cpu_started = time.perf_counter(), time.process_time()
        for number in range(1, renders + 1):
            started = time.perf_counter()
            certificate_pdf_bytes(certificate(number), template=design)
            timings.append(time.perf_counter() - started)
        total, cpu = time.perf_counter() - total_started, time.process_time() - cpu_started
        p95 = statistics.quantiles(timings, n=20)[-1]
        print(f"-- {label}")
        first_label = "first render (with worker start-up)" if timeout else "first render in the process"
        print(f"{first_label}: {first * 1000:.0f} ms ({size / 1024:.1f} KB PDF)")
        print(f"{renders} warm renders: {total:.1f} s -> {renders / total:.2f} certificates/s")
        print(f"single render mean / p95: {statistics.mean(timings) * 1000:.0f} ms / {p95 * 1000:.0f} ms")
        # CPU of this process: the render itself in-process; only the HTML, QR code and IPC with a worker.
        print(f"CPU in this process per render: {cpu / renders * 1000:.0f} ms")
    pdf._drop_worker()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
