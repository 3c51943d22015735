"""The link tokens: 256 random bits, stored as a digest, compared in constant time."""

import base64
import hashlib

import pytest

from core import tokens

pytestmark = pytest.mark.pure


def test_new_token_has_256_bits_and_differs_each_time():
    made = [tokens.new_token() for _ in range(5)]
    decoded = [base64.urlsafe_b64decode(token + "=") for token in made]
    assert ([len(token) for token in made], [len(raw) for raw in decoded], len(set(made))) == (
        [43] * 5,
        [32] * 5,
        5,
    )


def test_hash_token_is_the_hex_sha256_of_the_token():
    assert (
        tokens.hash_token("abc")
        == hashlib.sha256(b"abc").hexdigest()
        == ("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    )


@pytest.mark.parametrize("token", [None, 42, b"x" * 43, "", "x" * 19, "x" * 65])
def test_lookup_digest_refuses_what_cannot_be_a_token(token):
    assert tokens.lookup_digest(token) is None


@pytest.mark.parametrize("token", ["x" * 20, "x" * 43, "x" * 64])
def test_lookup_digest_gives_the_digest_of_a_plausible_token(token):
    assert tokens.lookup_digest(token) == tokens.hash_token(token)


def test_digests_match_only_equal_digests():
    digest = tokens.hash_token("a" * 43)
    assert (
        tokens.digests_match(digest, tokens.hash_token("a" * 43)),
        tokens.digests_match(digest, tokens.hash_token("a" * 42 + "b")),
    ) == (True, False)
