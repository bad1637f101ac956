"""A patient statement as a PDF, with the project's safe WeasyPrint set-up (coursesite/certificates/
rendering.py): autoescaped template, a URL fetcher that loads only data: URIs and our static files,
PDF/UA-1 tagging. One page for a typical account, so it renders in the request."""

from django.template.loader import render_to_string
from weasyprint import HTML

from coursesite.certificates.rendering import BASE_URL, SafeURLFetcher

from .models import Shift, Statement

AGING_LABELS = (("0-30", "0–30 days"), ("31-60", "31–60 days"), ("61-90", "61–90 days"), ("90+", "Over 90 days"))


def statement_context(*, shift: Shift, statement: Statement) -> dict:
    practice = shift.office["practice"]
    return {
        "practice": practice, "statement": statement, "patient": statement.patient,
        "account": f"{shift.pk}-{statement.patient.pk:05d}",
        "aging": [(label, statement.aging.get(key, "0.00")) for key, label in AGING_LABELS],
        "items": statement.data.get("items", []), "notes": statement.data.get("notes", []),
    }  # fmt: skip


def statement_pdf_bytes(*, shift: Shift, statement: Statement) -> bytes:
    html = render_to_string("simulations/statement_pdf.html", statement_context(shift=shift, statement=statement))
    return HTML(string=html, base_url=BASE_URL, url_fetcher=SafeURLFetcher()).write_pdf(pdf_variant="pdf/ua-1")
