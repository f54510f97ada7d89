"""core/pkce.py: the verifier (length, alphabet, unbiased sampling) and its S256 challenge in three encodings."""

from __future__ import annotations

import pytest

from looker_pkce.core import compat, pkce

RFC_VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"  # RFC 7636 Appendix B
RFC_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def given(*chunks):
    """random_bytes that hands out `chunks` in turn, recording how many bytes each call asked for."""
    asked, left = [], list(chunks)

    def random_bytes(count):
        asked.append(count)
        return bytes(left.pop(0))

    random_bytes.asked = asked
    return random_bytes


def test_the_alphabet_is_rfc_7636s_66_unreserved_characters():
    assert len(pkce.VERIFIER_CHARS) == len(set(pkce.VERIFIER_CHARS)) == 66
    assert set(pkce.VERIFIER_CHARS) == set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def test_each_byte_picks_the_character_at_its_remainder_by_66():
    source = given(list(range(66)) + [66, 92, 197] + [0] * 63)
    verifier = pkce.new_verifier(source, 69)
    assert verifier == pkce.VERIFIER_CHARS + "Aa~"
    assert source.asked == [138]  # twice the length at a time


def test_bytes_from_198_up_are_dropped_so_every_character_is_equally_likely():
    """256 = 3 * 66 + 58: taking bytes 198..255 too would make the first 58 characters likelier."""
    assert 256 - 256 % 66 == 198
    source = given([198, 255, 197] + [0] * 131, [5] * 134)
    verifier = pkce.new_verifier(source, 67)
    assert verifier[0] == "~"  # 197, after 198 and 255 were dropped
    assert verifier == "~" + "A" * 66
    assert source.asked == [134]
    short = given([255] * 134, [1] * 134)
    assert pkce.new_verifier(short, 67) == "B" * 67  # a whole draw dropped: it asks again
    assert short.asked == [134, 134]


def test_over_many_verifiers_every_character_appears_about_equally_often():
    counts = dict.fromkeys(pkce.VERIFIER_CHARS, 0)
    for _ in range(300):
        for char in pkce.new_verifier(compat.random_bytes):
            counts[char] += 1
    expected = 300 * 66 / 66
    assert all(0.6 * expected < n < 1.4 * expected for n in counts.values()), counts


@pytest.mark.parametrize("length", [43, 66, 127])
def test_lengths_from_43_to_128_are_made_except_powers_of_two(length):
    assert len(pkce.new_verifier(compat.random_bytes, length)) == length


SHORT_OR_LONG = "a PKCE verifier has 43 to 128 characters"
HEX_KIND = "a PKCE verifier of %d characters would be checked by Looker as the old hex kind (a power-of-two length): use 66"


@pytest.mark.parametrize("length,message", [(42, SHORT_OR_LONG), (129, SHORT_OR_LONG), (0, SHORT_OR_LONG),
                                            (64, HEX_KIND % 64), (128, HEX_KIND % 128)])
def test_other_lengths_are_refused_saying_why(length, message):
    with pytest.raises(ValueError) as refused:
        pkce.new_verifier(compat.random_bytes, length)
    assert str(refused.value) == message


def test_power_of_two_is_true_only_for_positive_powers_of_two():
    assert [n for n in range(-4, 130) if pkce.power_of_two(n)] == [1, 2, 4, 8, 16, 32, 64, 128]


def test_the_default_verifier_has_the_official_browser_clients_66_characters():
    assert pkce.VERIFIER_LENGTH == 66
    assert len(pkce.new_verifier(compat.random_bytes)) == 66


def test_the_challenge_is_rfc_7636s_s256_padded_unpadded_or_hex():
    assert pkce.code_challenge(RFC_VERIFIER) == RFC_CHALLENGE + "="
    assert pkce.code_challenge(RFC_VERIFIER, "rfc7636") == RFC_CHALLENGE
    assert pkce.code_challenge(RFC_VERIFIER, "hex") == "13d31e961a1ad8ec2f16b10c4c982e0876a878ad6df144566ee1894acb70f9c3"
    with pytest.raises(ValueError, match="unknown challenge encoding 'plain'; use one of padded, rfc7636, hex"):
        pkce.code_challenge(RFC_VERIFIER, "plain")
