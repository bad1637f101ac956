"""Certificate PDFs with WeasyPrint, rendered safely.

Learner names are user input: the template autoescapes them, and the URL fetcher lets WeasyPrint load
only `data:` URIs and this project's own static files, so markup that slips through still cannot read
local files (file://) or reach other hosts (http://169.254.169.254/). A page cap stops runaway input.
See https://doc.courtbouillon.org/weasyprint/stable/first_steps.html#security
"""

import base64
import mimetypes
import posixpath
from io import BytesIO
from urllib.parse import unquote, urlsplit

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .models import Certificate

# Relative URLs in the certificate HTML resolve against this made-up origin; only its static path is served.
BASE_URL = "https://certificate.invalid/"


class RenderError(Exception):
    pass


class SafeURLFetcher(URLFetcher):
    """Serve data: URIs and files under STATIC_URL found by the staticfiles finders; refuse the rest."""

    def __init__(self):
        super().__init__(allowed_protocols=("data", "https"), allow_redirects=False, timeout=2)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        static_prefix = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else f"/{settings.STATIC_URL}"
        if f"{parts.scheme}://{parts.netloc}/" != BASE_URL or not parts.path.startswith(static_prefix):
            raise ValueError(f"Certificate rendering may not fetch {url!r}")
        relative = posixpath.normpath(unquote(parts.path[len(static_prefix) :]))
        if relative.startswith(("..", "/")):
            raise ValueError(f"Certificate rendering may not fetch {url!r}")
        path = finders.find(relative)
        if not path:
            raise ValueError(f"No static file {relative!r}")
        with open(path, "rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


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
    document = HTML(string=certificate_html(certificate), base_url=BASE_URL, url_fetcher=SafeURLFetcher()).render()
    if len(document.pages) > settings.CERTIFICATE_MAX_PAGES:
        raise RenderError(
            f"The certificate ran to {len(document.pages)} pages; the limit is {settings.CERTIFICATE_MAX_PAGES}."
        )
    # PDF/UA-1: a tagged PDF (structure, language, title) that screen readers can follow.
    return document.write_pdf(pdf_variant="pdf/ua-1")
