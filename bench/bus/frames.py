"""Just enough RFC 6455 for a benchmark client: encode masked frames, parse server frames.

The parser hands each complete frame to a callback as `(opcode, buffer, start, end)` without
copying the payload, so a client can search the bytes it needs in place.
"""

from __future__ import annotations

import base64
import hashlib
import os
import struct
from collections.abc import Callable
from typing import Final

OP_CONTINUATION: Final = 0x0
OP_TEXT: Final = 0x1
OP_BINARY: Final = 0x2
OP_CLOSE: Final = 0x8
OP_PING: Final = 0x9
OP_PONG: Final = 0xA

_FIN: Final = 0x80
_RSV: Final = 0x70
_MASKED: Final = 0x80
_LEN16: Final = 126
_LEN64: Final = 127
_MAX_CONTROL_PAYLOAD: Final = 125
_U16 = struct.Struct("!H")
_U64 = struct.Struct("!Q")
_ACCEPT_GUID: Final = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

FrameHandler = Callable[[int, bytes, int, int], None]
"""Called with (opcode, buffer, payload start, payload end) for every complete frame."""


class FrameError(ValueError):
    """The server sent something this minimal client does not accept."""


def mask_payload(payload: bytes, mask: bytes) -> bytes:
    """XOR `payload` with the 4-byte `mask`, repeated (RFC 6455 section 5.3)."""
    if len(mask) != 4:
        raise ValueError("a websocket mask is 4 bytes")
    if not payload:
        return b""
    size = len(payload)
    key = (mask * (size // 4 + 1))[:size]
    return (int.from_bytes(payload, "big") ^ int.from_bytes(key, "big")).to_bytes(size, "big")


def encode_client_frame(opcode: int, payload: bytes, mask: bytes | None = None) -> bytes:
    """Encode one final, masked frame as a client must send it."""
    key = os.urandom(4) if mask is None else mask
    size = len(payload)
    if size < _LEN16:
        header = bytes((_FIN | opcode, _MASKED | size))
    elif size < 1 << 16:
        header = bytes((_FIN | opcode, _MASKED | _LEN16)) + _U16.pack(size)
    else:
        header = bytes((_FIN | opcode, _MASKED | _LEN64)) + _U64.pack(size)
    return header + key + mask_payload(payload, key)


def encode_server_frame(opcode: int, payload: bytes) -> bytes:
    """Encode one final, unmasked frame as a server sends it (for tests and fakes)."""
    size = len(payload)
    if size < _LEN16:
        return bytes((_FIN | opcode, size)) + payload
    if size < 1 << 16:
        return bytes((_FIN | opcode, _LEN16)) + _U16.pack(size) + payload
    return bytes((_FIN | opcode, _LEN64)) + _U64.pack(size) + payload


def accept_key(key: bytes) -> bytes:
    """The `Sec-WebSocket-Accept` value a server must answer to `Sec-WebSocket-Key: key`."""
    return base64.b64encode(hashlib.sha1(key + _ACCEPT_GUID, usedforsecurity=False).digest())


def _check_first_byte(first: int) -> int:
    if first & _RSV:
        raise FrameError("reserved bits set: the client negotiated no extension")
    opcode = first & 0x0F
    if not first & _FIN or opcode == OP_CONTINUATION:
        raise FrameError("fragmented frames are not supported by the benchmark client")
    return opcode


class FrameReader:
    """Incremental parser of unmasked server-to-client frames.

    Parameters
    ----------
    on_frame
        Called once per complete frame, in order.
    max_payload
        Larger frames raise `FrameError`.
    """

    __slots__ = ("_max_payload", "_on_frame", "_pending")

    def __init__(self, on_frame: FrameHandler, max_payload: int = 1 << 24) -> None:
        self._on_frame = on_frame
        self._max_payload = max_payload
        self._pending = b""

    @property
    def buffered(self) -> int:
        """Bytes held back because their frame is not complete yet."""
        return len(self._pending)

    def feed(self, chunk: bytes) -> None:
        """Parse `chunk`, calling `on_frame` for each frame it completes."""
        data = self._pending + chunk if self._pending else chunk
        size = len(data)
        pos = 0
        on_frame = self._on_frame
        while size - pos >= 2:
            parsed = self._header(data, pos, size)
            if parsed is None:
                break
            opcode, start, end = parsed
            on_frame(opcode, data, start, end)
            pos = end
        self._pending = data[pos:] if pos < size else b""

    def _header(self, data: bytes, pos: int, size: int) -> tuple[int, int, int] | None:
        opcode = _check_first_byte(data[pos])
        second = data[pos + 1]
        if second & _MASKED:
            raise FrameError("a server must not mask its frames")
        length = second & 0x7F
        start = pos + 2
        if length == _LEN16:
            if size - pos < 4:
                return None
            length = _U16.unpack_from(data, start)[0]
            start += 2
        elif length == _LEN64:
            if size - pos < 10:
                return None
            length = _U64.unpack_from(data, start)[0]
            start += 8
        if length > self._max_payload or (opcode >= OP_CLOSE and length > _MAX_CONTROL_PAYLOAD):
            raise FrameError(f"frame of {length} bytes (opcode {opcode}) is too large")
        end = start + length
        return None if end > size else (opcode, start, end)
