"""Making strings from data files and argv inert before they reach a terminal or a document.

Every control character (ANSI escapes included) and every bidirectional override is replaced by a
visible escape such as ``\\x1b``, so no field can recolour, move the cursor or reorder the text. JSON
output does not use this: it keeps every string exactly, escaped by the json module.
"""

from __future__ import annotations

import unicodedata

_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def inert(text: str, *, keep_newlines: bool = True) -> str:
    """``text`` with control characters and bidi overrides made visible and harmless."""
    out = []
    for ch in text:
        if ch == "\n" and keep_newlines:
            out.append(ch)
        elif ch in _BIDI or unicodedata.category(ch) == "Cc":
            out.append(_escape(ch))
        else:
            out.append(ch)
    return "".join(out)
