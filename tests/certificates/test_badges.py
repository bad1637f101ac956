import base64
import json
from datetime import UTC, datetime

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.urls import reverse

from coursesite.certificates.badges import credential_jwt, credential_jwt_verify, public_jwk, signing_key
from tests.factories import CertificateFactory

pytestmark = pytest.mark.django_db


def b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_the_badge_is_an_open_badge_credential_signed_with_ed25519(trainee, course):
    certificate = CertificateFactory(
        learner=trainee, course=course, course_title="Confidentiality and the Law",
        issued_at=datetime(2026, 11, 27, 15, tzinfo=UTC), expires_at=datetime(2027, 11, 27, 15, tzinfo=UTC),
    )  # fmt: skip
    token = credential_jwt(certificate)
    header = json.loads(b64decode(token.split(".")[0]))
    assert header["alg"] == "EdDSA" and header["jwk"] == public_jwk()
    claims = credential_jwt_verify(token)
    vc = claims["vc"]
    assert vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert vc["id"].endswith(f"/verify/{certificate.code}/") and claims["jti"] == vc["id"]
    assert vc["credentialSubject"]["achievement"]["name"] == "Confidentiality and the Law"
    assert vc["validUntil"].startswith("2027-11-27") and claims["exp"] == int(certificate.expires_at.timestamp())
    # The learner is named by a salted hash, never by their address.
    assert trainee.email not in token and trainee.email not in json.dumps(claims)
    # The public key in the header verifies it on its own, as a wallet would.
    raw = b64decode(header["jwk"]["x"])
    credential_jwt_verify(token, Ed25519PublicKey.from_public_bytes(raw))


def test_a_tampered_or_foreign_signed_badge_does_not_verify(trainee):
    token = credential_jwt(CertificateFactory(learner=trainee))
    header, claims, signature = token.split(".")
    forged_claims = json.loads(b64decode(claims))
    forged_claims["vc"]["name"] = "A course never taken"
    forged = ".".join([header, base64.urlsafe_b64encode(json.dumps(forged_claims).encode()).decode(), signature])
    with pytest.raises(InvalidSignature):
        credential_jwt_verify(forged)
    with pytest.raises(InvalidSignature):
        credential_jwt_verify(token, Ed25519PrivateKey.generate().public_key())


def test_the_signing_key_comes_from_the_setting_with_a_fixed_development_default(settings):
    settings.OPEN_BADGES_SIGNING_KEY = ""
    assert public_jwk() == public_jwk()  # deterministic without configuration
    development = public_jwk()
    settings.OPEN_BADGES_SIGNING_KEY = base64.urlsafe_b64encode(bytes(range(32))).decode()
    assert public_jwk() != development
    assert signing_key().private_bytes_raw() == bytes(range(32))


def test_a_learner_downloads_only_their_own_badge(client, trainee, other_trainee):
    mine, theirs = CertificateFactory(learner=trainee), CertificateFactory(learner=other_trainee)
    client.force_login(trainee)
    response = client.get(reverse("certificate_badge", args=[mine.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    credential_jwt_verify(response.content.decode())
    assert client.get(reverse("certificate_badge", args=[theirs.pk])).status_code == 404


def test_the_issuer_profile_publishes_the_verification_key(client, db):
    profile = client.get(reverse("badge_issuer")).json()
    assert profile["type"] == ["Profile"] and profile["publicKey"][0]["publicKeyJwk"] == public_jwk()
