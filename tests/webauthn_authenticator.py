"""A software WebAuthn authenticator for the server-side passkey tests (tests/test_passkeys.py,
tests/test_second_factor_passkeys.py): it answers the server's options as a browser and a platform authenticator
would (ES256, "none" attestation, user verified)."""

import base64
import hashlib
import json
import secrets
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SoftAuthenticator:
    """One discoverable ES256 credential per relying party, like a phone's: it signs only for the rp id it was
    created for, and verifies the user (UV) every time."""

    def __init__(self) -> None:
        self.credentials: dict[str, dict[str, Any]] = {}

    def create(self, options: dict[str, Any], *, origin: str) -> dict[str, Any]:
        rp_id = options["rp"]["id"]
        key = ec.generate_private_key(ec.SECP256R1())
        numbers = key.public_key().public_numbers()
        credential_id = secrets.token_bytes(16)
        self.credentials[rp_id] = {"id": credential_id, "key": key, "user_handle": unb64(options["user"]["id"]),
                                   "count": 0}
        cose = {1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")}
        auth_data = (hashlib.sha256(rp_id.encode()).digest() + bytes([0x45]) + (0).to_bytes(4, "big")
                     + bytes(16) + len(credential_id).to_bytes(2, "big") + credential_id + cbor2.dumps(cose))
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {"id": b64(credential_id), "rawId": b64(credential_id), "type": "public-key",
                "authenticatorAttachment": "platform", "clientExtensionResults": {},
                "response": {"clientDataJSON": b64(client_data), "attestationObject": b64(attestation),
                             "transports": ["internal"]}}

    def get(self, options: dict[str, Any], *, origin: str, rp_id: str | None = None) -> dict[str, Any]:
        """Signs the challenge with the credential of `rp_id` (the options' own by default)."""
        credential = self.credentials[rp_id or options["rpId"]]
        credential["count"] += 1
        auth_data = (hashlib.sha256((rp_id or options["rpId"]).encode()).digest() + bytes([0x05])
                     + credential["count"].to_bytes(4, "big"))
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        signature = credential["key"].sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return {"id": b64(credential["id"]), "rawId": b64(credential["id"]), "type": "public-key",
                "authenticatorAttachment": "platform", "clientExtensionResults": {},
                "response": {"clientDataJSON": b64(client_data), "authenticatorData": b64(auth_data),
                             "signature": b64(signature), "userHandle": b64(credential["user_handle"])}}

    @staticmethod
    def _client_data(kind: str, challenge: str, origin: str) -> bytes:
        return json.dumps({"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": False}).encode()
