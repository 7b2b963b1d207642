"""Control characters and bidi overrides: made inert for terminals and documents, escaped losslessly in
JSON (issue 16, item 2)."""

from __future__ import annotations

import io
import json
import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from ketinteract.enums import OutputFormat
from ketinteract.render import RenderOptions, emit
from ketinteract.render.json_format import dumps, write_json
from ketinteract.textsafe import BIDI, inert, json_safe, one_line

from .factories import finding, result

HOSTILE = "\x1b]0;pwned\x07\x1b[2J\r\x9b31m\u202e\u2066\u200f\x7f\x00"
RAW_IN_JSON = re.compile(f"[\x7f-\x9f{BIDI}]")
"""Characters that must never appear unescaped in JSON output (C0 controls the json module escapes)."""

# Text that leans on the characters that matter, so hypothesis finds them quickly.
texts = st.text(
    alphabet=st.one_of(
        st.characters(),
        st.sampled_from(list(HOSTILE + "\n\t\u2028\u2029\u0085\ud800\udcffSchüle µg")),
    )
)


def _old_inert(text: str, keep_newlines: bool) -> str:
    """The character-by-character version this module replaced (plus lone surrogates, category Cs); the
    regex must agree with it."""
    out = []
    for ch in text:
        if ch == "\n" and keep_newlines:
            out.append(ch)
        elif ch in BIDI or unicodedata.category(ch) in {"Cc", "Cs"}:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


@given(texts, st.booleans())
def test_inert_agrees_with_the_unicode_category_rule(text: str, keep_newlines: bool) -> None:
    assert inert(text, keep_newlines=keep_newlines) == _old_inert(text, keep_newlines)


@given(texts)
def test_inert_leaves_no_control_or_bidi_character(text: str) -> None:
    for ch in inert(text, keep_newlines=False):
        assert ch not in BIDI and unicodedata.category(ch) not in {"Cc", "Cs"}
    inert(text).encode("utf-8")
    assert "\n" not in one_line(text) and "\r" not in one_line(text)


def test_inert_shows_each_escape_visibly() -> None:
    assert inert("a\x1b[31mb\x9bc\u202ed\ne") == "a\\x1b[31mb\\x9bc\\u202ed\ne"
    assert inert("a\nb", keep_newlines=False) == "a\\x0ab"
    assert inert("plain Schüle") == "plain Schüle"


@given(texts)
def test_json_writers_round_trip_any_string_and_escape_c1_and_bidi(text: str) -> None:
    data = {"k": text, "list": [text, {"nested": text}]}
    for indent in (None, 2):
        encoded = dumps(data, indent=indent)
        encoded.encode("utf-8")  # strict: the output is always valid UTF-8
        assert json.loads(encoded) == data
        assert not RAW_IN_JSON.search(encoded)
    out = io.StringIO()
    write_json(data, out)
    assert json.loads(out.getvalue()) == data and not RAW_IN_JSON.search(out.getvalue())


def test_json_keeps_letters_readable_and_escapes_hostile_ones() -> None:
    encoded = dumps({"a": "Schüle µg \x9b\u202e\u2066"}, indent=None)
    assert encoded == '{"a": "Schüle µg \\u009b\\u202e\\u2066"}'
    assert json_safe('"plain"') == '"plain"'


def test_check_json_and_ndjson_escape_hostile_data() -> None:
    hostile = result(findings=[finding(answer=HOSTILE)])
    for fmt in (OutputFormat.json, OutputFormat.ndjson):
        out = io.StringIO()
        emit(hostile, fmt, out, RenderOptions())
        text = out.getvalue()
        assert "\x1b" not in text and "\x07" not in text and not RAW_IN_JSON.search(text)
        assert json.loads(text)["pairs"][0]["findings"][0]["answer"] == HOSTILE, "lossless"
