"""PKCE (RFC 7636): the verifier and its S256 challenge."""

from .compat import b64url, hex_digest, sha256

VERIFIER_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"

# How the S256 challenge is written. Looker accepts all three; "padded" is
# what the official Looker browser SDK sends, "rfc7636" is the RFC's form,
# "hex" is what the official Python SDK sends.
ENCODINGS = ("padded", "rfc7636", "hex")


def new_verifier(random_bytes: "callable", length: int = 64) -> str:
    """A verifier of `length` chars from the unreserved set, from a CSPRNG.

    64 characters drawn from 66 symbols carry ~387 bits (RFC 7636 asks >= 256).
    Rejection sampling keeps every symbol equally likely.
    """
    if not 43 <= length <= 128:
        raise ValueError("a PKCE verifier has 43 to 128 characters")
    out = []
    limit = 256 - 256 % len(VERIFIER_CHARS)
    while len(out) < length:
        for byte in random_bytes(length * 2):
            if byte < limit and len(out) < length:
                out.append(VERIFIER_CHARS[byte % len(VERIFIER_CHARS)])
    return "".join(out)


def code_challenge(verifier: str, encoding: str = "padded") -> str:
    """The S256 challenge for `verifier`, written in one of ENCODINGS."""
    digest = sha256(verifier.encode())
    if encoding == "padded":
        return b64url(digest, pad=True)
    if encoding == "rfc7636":
        return b64url(digest, pad=False)
    if encoding == "hex":
        return hex_digest(digest)
    raise ValueError("unknown challenge encoding " + repr(encoding) + "; use one of " + ", ".join(ENCODINGS))


def challenge_matches(verifier: str, challenge: str) -> bool:
    """True when `challenge` is the S256 challenge of `verifier` in any accepted encoding."""
    return any(code_challenge(verifier, encoding) == challenge for encoding in ENCODINGS)
