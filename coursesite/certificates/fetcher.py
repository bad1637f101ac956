"""The only way a PDF render may load a resource: data: URIs, this project's static files, and images in
its own media storage (Wagtail images), addressed by path under a made-up origin. Anything else (file://,
other hosts, the cloud metadata address, paths escaping the static or media roots) is refused.
See https://doc.courtbouillon.org/weasyprint/stable/first_steps.html#security
"""

import mimetypes
import posixpath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Relative URLs in rendered HTML resolve against this made-up origin; only its static and media paths are served.
BASE_URL = "https://certificate.invalid/"
MEDIA_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")


def _prefix(url_setting: str) -> str:
    return url_setting if url_setting.startswith("/") else f"/{url_setting}"


def _relative(url: str, path: str, prefix: str) -> str:
    relative = posixpath.normpath(unquote(path[len(prefix) :]))
    if relative.startswith(("..", "/")) or relative == ".":
        raise ValueError(f"PDF rendering may not fetch {url!r}")
    return relative


class SafeURLFetcher(URLFetcher):
    """Serve data: URIs, files under STATIC_URL found by the staticfiles finders, and images under
    MEDIA_URL read from the default storage; refuse the rest."""

    def __init__(self):
        super().__init__(allowed_protocols=("data", "https"), allow_redirects=False, timeout=2)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}/" != BASE_URL:
            raise ValueError(f"PDF rendering may not fetch {url!r}")
        static, media = _prefix(settings.STATIC_URL), _prefix(settings.MEDIA_URL)
        if parts.path.startswith(static):
            path = finders.find(_relative(url, parts.path, static))
            if not path:
                raise ValueError(f"No static file for {url!r}")
            with open(path, "rb") as handle:
                body = handle.read()
            content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        elif parts.path.startswith(media):
            name = _relative(url, parts.path, media)
            content_type = mimetypes.guess_type(name)[0] or ""
            if content_type not in MEDIA_TYPES or not default_storage.exists(name):
                raise ValueError(f"No media image for {url!r}")
            with default_storage.open(name, "rb") as handle:
                body = handle.read()
        else:
            raise ValueError(f"PDF rendering may not fetch {url!r}")
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})
