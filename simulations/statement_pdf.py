"""A patient statement as a PDF, with the project's guarded WeasyPrint render (coursesite/certificates/
pdf.py): autoescaped template, a URL fetcher that loads only data: URIs and our static files, a time
limit, PDF/UA-1 tagging. One page for a typical account."""

from django.template.loader import render_to_string

from coursesite.certificates.pdf import render_pdf

from .models import Shift, Statement

MAX_PAGES = 20  # a long history runs to a few pages; far more means runaway input
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
    """The statement as PDF/UA-1. Raises coursesite.certificates.pdf.RenderError when it cannot be produced."""
    html = render_to_string("simulations/statement_pdf.html", statement_context(shift=shift, statement=statement))
    return render_pdf(html, max_pages=MAX_PAGES)
