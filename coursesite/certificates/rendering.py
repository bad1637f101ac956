"""Certificate PDFs with WeasyPrint, rendered safely.

Learner names are user input: the template autoescapes them, the URL fetcher (fetcher.py) lets WeasyPrint
load only `data:` URIs and this project's own static and media files, a page cap stops runaway input, and
the render runs under a hard time limit in a worker process (pdf.py).
"""

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from .fetcher import BASE_URL, SafeURLFetcher
from .models import Certificate
from .pdf import RenderError, RenderTimeout, render_pdf

__all__ = [
    "BASE_URL",
    "RenderError",
    "RenderTimeout",
    "SafeURLFetcher",
    "certificate_html",
    "certificate_pdf_bytes",
    "qr_data_uri",
    "verification_url",
]


def verification_url(certificate: Certificate) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("certificate_verify", args=[certificate.code])


def qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=1)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def certificate_html(certificate: Certificate) -> str:
    url = verification_url(certificate)
    context = {"certificate": certificate, "verify_url": url, "qr": qr_data_uri(url)}
    return render_to_string("certificates/certificate_pdf.html", context)


def certificate_pdf_bytes(certificate: Certificate) -> bytes:
    """The certificate as a one-page PDF/UA-1 document. Raises RenderError (RenderTimeout past the limit)."""
    return render_pdf(certificate_html(certificate), max_pages=settings.CERTIFICATE_MAX_PAGES)
