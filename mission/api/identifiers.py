"""Per-partner pseudonymous identifiers for records (cases, hearings, observations, …).

A partner never sees a database id: ids are shared by every partner (so partners could link what they
hold) and their gaps count the records that are not published. Each partner gets identifiers of its
own instead, keyed by `API_IDENTIFIER_KEY` and the partner (the token's owner, so a rotated token keeps
them) and by the kind of record. The identifier is a deterministic authenticated encryption of the id
(SIV, Rogaway and Shrimpton 2006, with keyed BLAKE2b as the pseudorandom function): a 64-bit tag
`T = F(k1, id)`, then the id encrypted as `id XOR F(k2, T)`. The server turns an identifier back into
the id (for cursors and filters), and one that was forged, mistyped, or belongs to another partner or
another kind fails the tag check. Rendered as 26 lowercase base32 characters.
"""

import base64
import binascii
import hashlib
import hmac
from collections.abc import Iterable
from functools import cache

from django.conf import settings
from django.db import models

_HALF = 8  # bytes: a 64-bit tag, a 64-bit encrypted id
# RFC 4648 base32, lowercase and unpadded, written ten bits (two letters) at a time: the standard
# library's encoder is pure Python and was most of an identifier's cost. 128 bits and two zero bits
# make 13 pairs.
_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
_PAIRS = [a + b for a in _ALPHABET for b in _ALPHABET]


def _base32(number: int) -> str:
    """A 128-bit number as 26 base32 letters."""
    n, p = number << 2, _PAIRS
    return (
        p[n >> 120] + p[(n >> 110) & 1023] + p[(n >> 100) & 1023] + p[(n >> 90) & 1023] + p[(n >> 80) & 1023]
        + p[(n >> 70) & 1023] + p[(n >> 60) & 1023] + p[(n >> 50) & 1023] + p[(n >> 40) & 1023]
        + p[(n >> 30) & 1023] + p[(n >> 20) & 1023] + p[(n >> 10) & 1023] + p[n & 1023]
    )  # fmt: skip


def kind_of(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _prf(function: hashlib.blake2b, data: bytes) -> bytes:
    step = function.copy()
    step.update(data)
    return step.digest()


def _xor(a: bytes, b: bytes) -> bytes:
    return (int.from_bytes(a, "big") ^ int.from_bytes(b, "big")).to_bytes(_HALF, "big")


class PartnerIdentifiers:
    """One partner's identifiers. `encode(kind, id)` gives the identifier, `decode(kind, text)` the id
    back (or None if it is not one of this partner's identifiers of that kind)."""

    def __init__(self, owner_id: int) -> None:
        self._owner = str(owner_id).encode()
        self._keys: dict[str, tuple[hashlib.blake2b, hashlib.blake2b]] = {}

    def _functions(self, kind: str) -> tuple[hashlib.blake2b, hashlib.blake2b]:
        functions = self._keys.get(kind)
        if functions is None:
            secret = settings.API_IDENTIFIER_KEY.encode()
            key = hmac.new(secret, b"partner-ids\0" + self._owner + b"\0" + kind.encode(), "sha256").digest()
            functions = (
                hashlib.blake2b(key=key, person=b"tag", digest_size=_HALF),
                hashlib.blake2b(key=key, person=b"enc", digest_size=_HALF),
            )
            self._keys[kind] = functions
        return functions

    def encode(self, kind: str, pk: int) -> str:
        return self.encode_all(kind, (pk,))[pk]

    def encode_all(self, kind: str, pks: Iterable[int | None]) -> dict[int, str]:
        """The identifiers of several ids of one kind at once (each distinct id encoded once)."""
        tag_of, pad_of = self._functions(kind)
        encoded = {}
        for pk in set(pks):
            if pk is None:
                continue
            tag = _prf(tag_of, pk.to_bytes(_HALF, "big"))
            pad = int.from_bytes(_prf(pad_of, tag), "big")
            encoded[pk] = _base32(int.from_bytes(tag, "big") << 64 | (pk ^ pad))
        return encoded

    def decode(self, kind: str, text: str) -> int | None:
        try:
            block = base64.b32decode(text.upper() + "======")
        except (binascii.Error, ValueError):
            return None
        if len(block) != 2 * _HALF:
            return None
        tag_of, pad_of = self._functions(kind)
        tag = block[:_HALF]
        plain = _xor(block[_HALF:], _prf(pad_of, tag))
        if not hmac.compare_digest(_prf(tag_of, plain), tag):
            return None
        return int.from_bytes(plain, "big")


@cache
def for_owner(owner_id: int) -> PartnerIdentifiers:
    """The partner's identifiers (their keys are derived once per process, partner and kind)."""
    return PartnerIdentifiers(owner_id)
