"""Certificate PDFs with WeasyPrint, rendered safely.

Learner names are user input: the template autoescapes them, the URL fetcher (fetcher.py) lets WeasyPrint
load only `data:` URIs and this project's own static and media files, a page cap stops runaway input, and
the render runs under a hard time limit in a worker process (pdf.py).
"""

import base64
import logging
from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from .fetcher import BASE_URL, SafeURLFetcher
from .models import Certificate, CertificateTemplate
from .pdf import RenderError, RenderTimeout, render_pdf
from .selectors import certificate_template_for

logger = logging.getLogger(__name__)
# Logos and signatures are drawn from a bounded PNG rendition, never from the uploaded original.
IMAGE_SPEC = "max-800x300|format-png"

__all__ = [
    "BASE_URL",
    "RenderError",
    "RenderTimeout",
    "SafeURLFetcher",
    "certificate_html",
    "certificate_pdf_bytes",
    "qr_data_uri",
    "sample_certificate",
    "template_preview_response",
    "verification_url",
]


def verification_url(certificate: Certificate) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("certificate_verify", args=[certificate.code])


def qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=1)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _image_src(image, *, for_browser: bool) -> str:
    """Where the HTML finds an image: its public URL in a browser preview; for a PDF, its path under
    MEDIA_URL, which SafeURLFetcher reads from our own storage (whatever storage backend is configured)."""
    if image is None:
        return ""
    try:
        rendition = image.get_rendition(IMAGE_SPEC)
    except Exception:  # a missing or unreadable source file must not stop the certificate
        logger.exception("Certificate image %s could not be rendered", image.pk)
        return ""
    return rendition.url if for_browser else f"{settings.MEDIA_URL}{rendition.file.name}"


def certificate_html(
    certificate: Certificate, *, template: CertificateTemplate | None = None, for_browser: bool = False
) -> str:
    """The certificate as HTML, designed by `template` (default: its course's template as it is now)."""
    if template is None:
        template = certificate_template_for(certificate.course_id)
    url = verification_url(certificate)
    # The signature belongs to a person: drawn only while the template still names the certificate's signatory.
    signed = template.signature_id and template.signatory_name == certificate.signatory_name
    context = {
        "certificate": certificate,
        "design": template,
        "logo_src": _image_src(template.logo, for_browser=for_browser) if template.logo_id else "",
        "signature_src": _image_src(template.signature, for_browser=for_browser) if signed else "",
        "verify_url": url,
        "qr": qr_data_uri(url),
    }
    return render_to_string("certificates/certificate_pdf.html", context)


def certificate_pdf_bytes(certificate: Certificate, *, template: CertificateTemplate | None = None) -> bytes:
    """The certificate as a one-page PDF/UA-1 document. Raises RenderError (RenderTimeout past the limit)."""
    html = certificate_html(certificate, template=template)
    return render_pdf(html, max_pages=settings.CERTIFICATE_MAX_PAGES)


def sample_certificate(template: CertificateTemplate) -> Certificate:
    """An unsaved certificate with made-up learner data, issued by `template`, for previews."""
    now = timezone.now()
    course = template.course if template.course_id else None
    return Certificate(
        code="SAMPLE0PREVIEW00",
        learner_name="Alex Sample-Learner",
        course_title=course.title if course else "Sample Course: Front Desk Essentials",
        hours=course.estimated_hours if course else Decimal("6.5"),
        issuer=template.issuer,
        signatory_name=template.signatory_name,
        signatory_title=template.signatory_title,
        issued_at=now,
        expires_at=now + timedelta(days=730),
    )


def template_preview_response(template: CertificateTemplate, *, request: HttpRequest, as_pdf: bool) -> HttpResponse:
    """The editor's preview of a template: the sample certificate as a web page or as the real PDF."""
    html = certificate_html(sample_certificate(template), template=template, for_browser=not as_pdf)
    if not as_pdf:
        return HttpResponse(html)
    try:
        content = render_pdf(html, max_pages=settings.CERTIFICATE_MAX_PAGES)
    except RenderError as error:
        return HttpResponse(f"<p>The sample PDF could not be produced: {escape(error)}</p>", status=503)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="certificate-preview.pdf"'
    return response
