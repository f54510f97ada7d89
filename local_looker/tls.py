"""A certificate for serving HTTPS on 127.0.0.1, and how a browser trusts just that one.

The certificate is made on first use (trustme: a throwaway CA and a leaf for the IP address 127.0.0.1)
and kept under the cache folder, so every process of a run (the local Looker, the benchmark's static
site, the browser's flags) agrees on it. Chromium trusts it through
`--ignore-certificate-errors-spki-list=<base64 SHA-256 of the leaf's SubjectPublicKeyInfo>`: certificate
errors are ignored for that one key only, never for every site.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Certificate:
    pemfile: Path  # the leaf's private key, the leaf, then its CA: ssl's load_cert_chain and a client's CA file
    spki_sha256: str  # base64 of SHA-256 over the leaf's DER SubjectPublicKeyInfo

    @property
    def chromium_flag(self) -> str:
        return f"--ignore-certificate-errors-spki-list={self.spki_sha256}"


def spki_sha256(cert_pem: bytes) -> str:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    leaf = x509.load_pem_x509_certificate(cert_pem)  # the first certificate in the file
    der = leaf.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


def certificate(folder: Path) -> Certificate:
    """The certificate in `folder`/tls, made there first if it is missing."""
    pemfile = folder / "tls" / f"{HOST}.pem"
    if not pemfile.is_file():
        import trustme

        pemfile.parent.mkdir(parents=True, exist_ok=True)
        ca = trustme.CA(organization_name="local Looker (test only)")
        leaf = ca.issue_cert(HOST)
        partial = pemfile.with_suffix(f".{os.getpid()}.tmp")  # one whole file appears, even with two writers
        partial.write_bytes(leaf.private_key_pem.bytes() + leaf.cert_chain_pems[0].bytes() + ca.cert_pem.bytes())
        partial.replace(pemfile)
    return Certificate(pemfile, spki_sha256(pemfile.read_bytes()))
