"""Open Badges 3.0: a certificate as a signed, portable credential (VC-JWT, EdDSA with Ed25519).

The credential is an `OpenBadgeCredential` (https://www.imsglobal.org/spec/ob/v3p0/) secured as a
compact JWS whose header carries the public key (`jwk`) and names the issuer's key (`kid`); the issuer
profile at /certificates/issuer/ publishes the same key. The learner is named by a salted hash of
their email address, not by the address itself.
"""

import base64
import hashlib
import json
import secrets
import uuid

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.urls import reverse

from .models import Certificate

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
# Development and tests sign with a key derived from this fixed label, so their output is reproducible.
DEV_KEY_LABEL = b"front-desk-academy development open badges key"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def signing_key() -> Ed25519PrivateKey:
    configured = settings.OPEN_BADGES_SIGNING_KEY
    seed = _b64url_decode(configured) if configured else hashlib.sha256(DEV_KEY_LABEL).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_jwk(key: Ed25519PublicKey | None = None) -> dict:
    key = key or signing_key().public_key()
    return {"kty": "OKP", "crv": "Ed25519", "x": _b64url(key.public_bytes(Encoding.Raw, PublicFormat.Raw))}


def _site(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def issuer_id() -> str:
    return _site(reverse("badge_issuer"))


def issuer_profile() -> dict:
    return {
        "@context": CONTEXT,
        "id": issuer_id(),
        "type": ["Profile"],
        "name": settings.CERTIFICATE_ISSUER,
        "url": _site("/"),
        "publicKey": [{"id": f"{issuer_id()}#key-1", "type": "JsonWebKey", "publicKeyJwk": public_jwk()}],
    }


def _identity_hash(email: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((email.lower() + salt).encode()).hexdigest()


def credential(certificate: Certificate, *, salt: str | None = None) -> dict:
    """The OpenBadgeCredential for one certificate (unsigned)."""
    salt = salt if salt is not None else secrets.token_hex(8)
    # A stable URI per course (a URN: there is no page to dereference).
    achievement_id = uuid.uuid5(uuid.NAMESPACE_URL, _site(f"/achievements/course/{certificate.course_id}")).urn
    body = {
        "@context": CONTEXT,
        "id": _site(reverse("certificate_verify", args=[certificate.code])),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_id(), "type": ["Profile"], "name": certificate.issuer},
        "validFrom": certificate.issued_at.isoformat(),
        "name": certificate.course_title,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": _identity_hash(certificate.learner.email, salt),
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": salt,
                }
            ],
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": certificate.course_title,
                "description": f"Completion of the {certificate.course_title} course ({certificate.hours} hours).",
                "criteria": {"narrative": "Pass every step of the course under its completion rule."},
            },
        },
    }
    if certificate.expires_at is not None:
        body["validUntil"] = certificate.expires_at.isoformat()
    return body


def credential_jwt(certificate: Certificate) -> str:
    """The credential as a compact JWS (VC-JWT): header.payload.signature, signed with EdDSA."""
    vc = credential(certificate)
    header = {"alg": "EdDSA", "typ": "JWT", "kid": f"{issuer_id()}#key-1", "jwk": public_jwk()}
    claims = {
        "iss": vc["issuer"]["id"],
        "jti": vc["id"],
        "nbf": int(certificate.issued_at.timestamp()),
        "vc": vc,
    }
    if certificate.expires_at is not None:
        claims["exp"] = int(certificate.expires_at.timestamp())
    signing_input = ".".join(
        _b64url(json.dumps(part, separators=(",", ":"), sort_keys=True).encode()) for part in (header, claims)
    )
    signature = signing_key().sign(signing_input.encode("ascii"))
    return f"{signing_input}.{_b64url(signature)}"


def credential_jwt_verify(token: str, key: Ed25519PublicKey | None = None) -> dict:
    """Check the signature and return the claims; raises cryptography's InvalidSignature if forged."""
    header_b64, claims_b64, signature_b64 = token.split(".")
    key = key or signing_key().public_key()
    key.verify(_b64url_decode(signature_b64), f"{header_b64}.{claims_b64}".encode("ascii"))
    return json.loads(_b64url_decode(claims_b64))
