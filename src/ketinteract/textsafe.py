"""Making strings from data files and argv inert before they reach a terminal or a document.

Every control character (C0, DEL and C1, so ANSI escapes and 8-bit CSI included) and every bidirectional
override, isolate or mark is replaced by a visible escape such as ``\\x1b``, so no field can recolour,
move the cursor, set the window title or reorder the text. Lone surrogates (what Python makes of
non-UTF-8 bytes in argv) are escaped too, so the output is always valid UTF-8. JSON output does not use
this: it keeps every string exactly and escapes the same characters as ``\\uXXXX`` instead
(:func:`json_safe`).
"""

from __future__ import annotations

import re

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
"""Bidi embeddings, overrides, isolates and marks: each can reorder what a reader sees."""

# Category Cc is exactly U+0000-U+001F and U+007F-U+009F; one precompiled class keeps the common case
# (nothing to replace) a single C-level scan.
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI}\ud800-\udfff]")
_UNSAFE_BUT_NEWLINE = re.compile(f"[\x00-\x09\x0b-\x1f\x7f-\x9f{BIDI}\ud800-\udfff]")
# What json.dumps(ensure_ascii=False) leaves raw but a terminal or a bidi-aware viewer acts on; the
# line and paragraph separators too, which some readers take for line ends, and lone surrogates, which
# cannot be written as UTF-8 at all.
_JSON_RAW = re.compile(f"[\x7f-\x9f{BIDI}\u2028\u2029\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def inert(text: str, *, keep_newlines: bool = True) -> str:
    """``text`` with control characters and bidi overrides made visible and harmless."""
    pattern = _UNSAFE_BUT_NEWLINE if keep_newlines else _UNSAFE
    if pattern.search(text) is None:
        return text
    return pattern.sub(_escape, text)


def one_line(text: str) -> str:
    """``text`` on one line (runs of whitespace, line breaks included, become one space), then inert."""
    return inert(" ".join(text.split()), keep_newlines=False)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_safe(encoded: str) -> str:
    """JSON text from ``json.dumps(..., ensure_ascii=False)`` with DEL, C1 controls, bidi controls,
    U+2028/U+2029 and lone surrogates written as ``\\uXXXX`` escapes.

    Lossless: ``json.loads`` gives back the same strings. Safe to do on the whole document because JSON's
    own syntax is ASCII, so these characters can only occur inside string literals, where a ``\\uXXXX``
    escape means exactly the character it replaces.
    """
    if _JSON_RAW.search(encoded) is None:
        return encoded
    return _JSON_RAW.sub(_json_escape, encoded)
