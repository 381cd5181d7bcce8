"""Check Telegram MarkdownV2 before sending: a refused message would be lost to a 400."""

from __future__ import annotations

RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
PAIRED = "*_~`"


def markdown_v2_errors(text: str) -> list[str]:
    """Return why Telegram's MarkdownV2 parser would refuse `text` (empty: it is fine).

    Outside entities every reserved character must be escaped with a backslash; ``*``,
    ``_``, ``~`` and the backtick open and close entities and must pair up; inside a code
    span only the backtick and the backslash are special. Links and spoilers are not used
    by the templates and count as errors unless escaped.
    """
    errors: list[str] = []
    opened: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        code = bool(opened) and opened[-1] == "`"
        if ch == "\\":
            if i + 1 >= len(text) or not 1 <= ord(text[i + 1]) <= 126:
                errors.append(f"dangling backslash at {i}")
            i += 2
            continue
        if ch in PAIRED and (not code or ch == "`"):
            if opened and opened[-1] == ch:
                opened.pop()
            else:
                opened.append(ch)
        elif ch in RESERVED and not code:
            errors.append(f"unescaped {ch!r} at {i}: {text[max(0, i - 15) : i + 5]!r}")
        i += 1
    if opened:
        errors.append(f"unclosed entities {opened}")
    return errors
