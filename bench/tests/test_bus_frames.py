"""The benchmark client's websocket framing and its reactions to server frames."""

from __future__ import annotations

import asyncio
import struct
from typing import Any

import pytest

from bench.bus.frames import (
    OP_BINARY,
    OP_CLOSE,
    OP_CONTINUATION,
    OP_PING,
    OP_PONG,
    OP_TEXT,
    FrameError,
    FrameReader,
    accept_key,
    encode_client_frame,
    encode_server_frame,
    mask_payload,
)
from bench.bus.harness import BenchClient, Tally, upgrade_request
from bench.bus.messages import make_envelopes

MASK = b"\x37\xfa\x21\x3d"


def collect(chunks: list[bytes]) -> list[tuple[int, bytes]]:
    frames: list[tuple[int, bytes]] = []
    reader = FrameReader(lambda op, data, start, end: frames.append((op, data[start:end])))
    for chunk in chunks:
        reader.feed(chunk)
    assert reader.buffered == 0
    return frames


def decode_client_frame(frame: bytes) -> tuple[int, bytes]:
    """Parse one masked client frame (the inverse of `encode_client_frame`)."""
    assert frame[0] & 0x80, "FIN must be set"
    assert frame[1] & 0x80, "client frames must be masked"
    length, pos = frame[1] & 0x7F, 2
    if length == 126:
        length, pos = struct.unpack_from("!H", frame, 2)[0], 4
    elif length == 127:
        length, pos = struct.unpack_from("!Q", frame, 2)[0], 10
    mask, payload = frame[pos : pos + 4], frame[pos + 4 :]
    assert len(payload) == length
    return frame[0] & 0x0F, mask_payload(payload, mask)


@pytest.mark.parametrize(
    ("size", "header_len"), [(0, 2), (125, 2), (126, 4), (500, 4), (65_535, 4), (65_536, 10)]
)
def test_server_frame_lengths_round_trip(size: int, header_len: int) -> None:
    payload = bytes(i % 251 for i in range(size))
    frame = encode_server_frame(OP_TEXT, payload)
    assert len(frame) == header_len + size
    assert collect([frame]) == [(OP_TEXT, payload)]


def test_frames_split_across_chunks_at_every_byte() -> None:
    payloads = [b"x" * 5, b"y" * 300, b"z" * 70_000, b""]
    stream = b"".join(encode_server_frame(OP_TEXT, p) for p in payloads)
    expected = [(OP_TEXT, p) for p in payloads]
    assert collect([stream[i : i + 1] for i in range(len(stream))]) == expected
    assert collect([stream[:3], stream[3:301], stream[301:]]) == expected


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (bytes((0x81, 0x80)) + MASK, "must not mask"),
        (bytes((0x01, 0x00)), "fragmented"),
        (bytes((0x80 | OP_CONTINUATION, 0x00)), "fragmented"),
        (bytes((0xC1, 0x00)), "reserved bits"),
        (bytes((0x80 | OP_PING, 126)) + struct.pack("!H", 126) + b"p" * 126, "too large"),
    ],
)
def test_rejects_what_the_client_does_not_speak(frame: bytes, message: str) -> None:
    with pytest.raises(FrameError, match=message):
        collect([frame])


@pytest.mark.parametrize("size", [0, 7, 125, 126, 65_535, 65_536])
def test_client_frames_are_masked(size: int) -> None:
    payload = bytes(i % 7 for i in range(size))
    frame = encode_client_frame(OP_TEXT, payload, MASK)
    assert decode_client_frame(frame) == (OP_TEXT, payload)
    if size:
        assert frame[-size:] != payload
    assert mask_payload(mask_payload(payload, MASK), MASK) == payload


def test_accept_key_matches_rfc_6455_example() -> None:
    assert accept_key(b"dGhlIHNhbXBsZSBub25jZQ==") == b"s3pPLMBiTxaQ9kYGzzhZRbK+xOo="


class FakeTransport(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.written: list[bytes] = []
        self.paused = False
        self.closing = False

    def write(self, data: Any) -> None:
        self.written.append(bytes(data))

    def pause_reading(self) -> None:
        self.paused = True

    def is_closing(self) -> bool:
        return self.closing

    def close(self) -> None:
        self.closing = True

    def abort(self) -> None:
        self.closing = True


def connected_client(*, stalled: bool = False) -> tuple[BenchClient, FakeTransport]:
    request, key = upgrade_request("127.0.0.1", 9, "/ws", "t")
    tally = None if stalled else Tally(target=3, connections=1)
    client = BenchClient(request, key, b'{"op":"subscribe"}', tally, slots=3)
    transport = FakeTransport()
    client.connection_made(transport)
    response = b"HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: " + accept_key(key)
    client.data_received(
        response + b"\r\n\r\n" + encode_server_frame(OP_TEXT, b'{"op":"subscribed"}')
    )
    return client, transport


async def test_upgrade_sends_request_then_masked_subscribe() -> None:
    client, transport = connected_client()
    assert transport.written[0].startswith(b"GET /ws HTTP/1.1\r\n")
    assert b"Authorization: Bearer t\r\n" in transport.written[0]
    assert decode_client_frame(transport.written[1]) == (OP_TEXT, b'{"op":"subscribe"}')
    assert client.subscribed.done()


async def test_ping_is_answered_with_pong() -> None:
    client, transport = connected_client()
    client.data_received(encode_server_frame(OP_PING, b"hi"))
    assert decode_client_frame(transport.written[-1]) == (OP_PONG, b"hi")


async def test_messages_are_recorded_by_sequence_number() -> None:
    client, _ = connected_client()
    frames = [encode_server_frame(OP_TEXT, e.to_json()) for e in make_envelopes(3)]
    client.data_received(frames[2] + frames[0][:100])
    client.data_received(frames[0][100:] + frames[1] + frames[1])
    assert client.received == 3
    assert client.unexpected == 1
    assert all(client.recv_ns)


async def test_stalled_client_stops_reading_after_the_ack() -> None:
    client, transport = connected_client(stalled=True)
    assert client.subscribed.done()
    assert transport.paused


async def test_refused_upgrade_fails_the_subscription() -> None:
    request, key = upgrade_request("127.0.0.1", 9, "/ws", "wrong")
    client = BenchClient(request, key, b"{}", Tally(1, 1), slots=1)
    transport = FakeTransport()
    client.connection_made(transport)
    client.data_received(b"HTTP/1.1 401 Unauthorized\r\n\r\n")
    with pytest.raises(FrameError, match="401"):
        await client.subscribed
    assert transport.closing


async def test_close_frame_is_echoed() -> None:
    client, transport = connected_client()
    client.data_received(encode_server_frame(OP_CLOSE, (1001).to_bytes(2, "big")))
    assert decode_client_frame(transport.written[-1]) == (OP_CLOSE, (1001).to_bytes(2, "big"))
    assert transport.closing


async def test_binary_frames_are_unexpected() -> None:
    client, transport = connected_client()
    client.data_received(encode_server_frame(OP_BINARY, b"\x00"))
    assert client.unexpected == 1
    assert transport.closing
