"""Frames built once per message decode as the same text frame on any websocket client."""

from __future__ import annotations

import pytest
from websockets.frames import Frame, Opcode
from websockets.streams import StreamReader

from signal_bus.frames import text_frame


@pytest.mark.parametrize("size", [0, 1, 125, 126, 65_535, 65_536, 200_000])
def test_text_frame_round_trips_through_websockets_parser(size: int) -> None:
    payload = b"x" * size
    reader = StreamReader()
    reader.feed_data(text_frame(payload))
    parser = Frame.parse(reader.read_exact, mask=False)
    try:
        next(parser)
        while True:
            next(parser)
    except StopIteration as done:
        frame = done.value
    assert frame.opcode is Opcode.TEXT
    assert frame.fin
    assert frame.data == payload
