"""PKCE (RFC 7636): the verifier and its S256 challenge, as the official Looker browser client makes them.

The rule (docs/REAL_LOOKER.md#pkce): Looker still takes a verifier whose length is a power of two
(32, 64, 128) as the old hex kind and checks it against a hex challenge only. The official TypeScript
OAuthSession (sdk-codegen packages/sdk-rtl/src/oauthSession.ts, PR #345) therefore makes a 66-character
verifier and sends its challenge as padded base64url. So does this module: VERIFIER_LENGTH is 66 and
new_verifier refuses any power-of-two length.
"""

from .compat import b64url, hex_digest, sha256

TYPE_CHECKING = False  # True for mypy only: no interpreter imports typing here (MicroPython has none)
if TYPE_CHECKING:
    from collections.abc import Callable

VERIFIER_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
VERIFIER_LENGTH = 66  # the official browser client's length (33 random bytes as hex); never a power of two

# How the S256 challenge is written. "padded" (base64url with "=") is what the official browser client
# sends and the default; "rfc7636" is the RFC's unpadded form; "hex" is what the official Python SDK sends.
ENCODINGS = ("padded", "rfc7636", "hex")


def power_of_two(number: int) -> bool:
    return number > 0 and number & (number - 1) == 0


def new_verifier(random_bytes: "Callable[[int], bytes]", length: int = VERIFIER_LENGTH) -> str:
    """A verifier of `length` chars from the unreserved set, from a CSPRNG.

    66 characters drawn from 66 symbols carry ~399 bits (RFC 7636 asks >= 256).
    Rejection sampling keeps every symbol equally likely.
    """
    if not 43 <= length <= 128:
        raise ValueError("a PKCE verifier has 43 to 128 characters")
    if power_of_two(length):
        raise ValueError("a PKCE verifier of %d characters would be checked by Looker as the old hex kind"
                         " (a power-of-two length): use %d" % (length, VERIFIER_LENGTH))
    out: list[str] = []
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
