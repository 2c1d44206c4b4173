"""Compact sets of positive integer ids, stored as bytes, combined as Python integers.

A set is a Python ``int`` whose bit *i* is set when id *i* is in it: union is ``|``, size is
``int.bit_count()``, both in C over machine words. On disk the set takes whichever of two forms
is shorter:

- ``b"A"`` + little-endian uint32 ids, for a few ids spread far apart (a township's elders);
- ``b"B"`` + uint32 offset in bytes + the bitmap from that offset, for many ids (a city's).
"""

import struct

EMPTY = b""


def decode(data: bytes | memoryview | None) -> int:
    if not data:
        return 0
    data = bytes(data)
    tag, body = data[:1], data[1:]
    if tag == b"A":
        bitmap = bytearray((max(struct.unpack(f"<{len(body) // 4}I", body)) >> 3) + 1)
        for i in struct.unpack(f"<{len(body) // 4}I", body):
            bitmap[i >> 3] |= 1 << (i & 7)
        return int.from_bytes(bitmap, "little")
    if tag == b"B":
        (offset,) = struct.unpack("<I", body[:4])
        return int.from_bytes(body[4:], "little") << (8 * offset)
    raise ValueError("not a stored id set")


def members(value: int) -> list[int]:
    """The ids in a set, ascending."""
    out: list[int] = []
    data = value.to_bytes((value.bit_length() + 7) // 8, "little")
    for byte_index, byte in enumerate(data):
        while byte:
            low = byte & -byte
            out.append(byte_index * 8 + low.bit_length() - 1)
            byte ^= low
    return out


def encode(value: int) -> bytes:
    if value <= 0:
        return EMPTY
    count = value.bit_count()
    low_bit = (value & -value).bit_length() - 1
    offset = low_bit >> 3
    span = ((value.bit_length() + 7) >> 3) - offset
    if 4 * count <= span + 4:
        ids = members(value)
        return b"A" + struct.pack(f"<{len(ids)}I", *ids)
    shifted = value >> (8 * offset)
    return b"B" + struct.pack("<I", offset) + shifted.to_bytes(span, "little")


def of(ids) -> int:
    """A set from an iterable of ids."""
    ids = list(ids)
    if not ids:
        return 0
    bitmap = bytearray((max(ids) >> 3) + 1)
    for i in ids:
        if i < 0:
            raise ValueError("ids are positive")
        bitmap[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(bitmap, "little")


def encode_ids(ids: set[int] | int) -> bytes:
    """``encode`` of a set of ids (or of a bit set), without scanning a sparse set's
    bitmap byte by byte: a township's few elders among a province's ids are listed directly."""
    if isinstance(ids, int):
        return encode(ids)
    if not ids:
        return EMPTY
    ordered = sorted(ids)
    offset = ordered[0] >> 3
    span = (ordered[-1] >> 3) + 1 - offset
    if 4 * len(ordered) <= span + 4:
        return b"A" + struct.pack(f"<{len(ordered)}I", *ordered)
    return encode(of(ordered))
