"""Markdown on hand-built results, read back by a CommonMark parser (markdown-it, which rich brings):
full content, and no live link, raw HTML or control character from data (issues 15 and 16)."""

from __future__ import annotations

import io
import re
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from ketinteract.enums import OutputFormat
from ketinteract.render import RenderOptions, emit
from ketinteract.render.markdown import line_heading, md, notice, write_markdown
from ketinteract.results import CheckResult, MechanismOut

from .factories import finding, no_raw_controls, regimen_warning, result, source

PARSER = MarkdownIt("commonmark", {"html": True}).enable("table")
HOSTILE = "\x1b]0;pwned\x07\r\x9b31m\u202e <script>alert(1)</script> <b>x</b> &amp; [a](javascript:alert(1))"


def markdown(checked: CheckResult) -> str:
    out = io.StringIO()
    emit(checked, OutputFormat.markdown, out, RenderOptions())
    return out.getvalue()


def tokens(text: str) -> list[Any]:
    found = []
    for token in PARSER.parse(text):
        found.append(token)
        found += token.children or []
    return found


def hrefs(text: str) -> list[str]:
    return [str(t.attrs["href"]) for t in tokens(text) if t.type == "link_open"]


def full_finding() -> Any:
    evidence = source().model_copy(update={"indirect": "healthy volunteers", "bias": "open label"})
    mechanism = MechanismOut(text="Blocks NMDA receptors.", sources=[source("mech-2001")])
    f = finding(sources=[evidence]).model_copy(update={"mechanism": mechanism})
    return f.model_copy(update={"conditions": f.conditions.model_copy(update={"dose": "low dose"})})


def test_markdown_has_mechanism_doses_indirectness_bias_and_dates() -> None:
    text = markdown(result([full_finding()]))
    assert "**Mechanism:** Blocks NMDA receptors." in text
    assert "dose and route: drug B 0.4-2 mg IV" in text
    assert "*Indirectness:* healthy volunteers" in text
    assert "*Risk of bias:* open label" in text
    assert "*Last reviewed 2026-11-21.*" in text
    assert "*Dose: low dose.*" in text
    assert "| no effect | moderate | monitor | low |" in text, "scales in words"
    assert hrefs(text) == ["https://pubmed.ncbi.nlm.nih.gov/12345678/"] * 2


def test_javascript_identifiers_never_become_links() -> None:
    evil = source().model_copy(
        update={
            "pmid": "1) [x](javascript:alert(1)",
            "doi": "10.1000/x)](javascript:alert(1))",
            "url": "javascript:alert(1)",
        }
    )
    text = markdown(result([finding(answer=HOSTILE, sources=[evil])]))
    links = hrefs(text)
    assert links and all(h.startswith("https://doi.org/") for h in links), links
    assert not [t for t in tokens(text) if t.type in {"html_inline", "html_block", "image"}]
    assert "&lt;script&gt;" in text and "<script>" not in text
    assert no_raw_controls(text)


def test_bare_urls_in_text_are_not_autolinked() -> None:
    assert md("see https://evil.example and www.evil.example or a@b.example") == (
        "see https\\://evil.example and www\\.evil.example or a\\@b.example"
    )


def test_leading_block_markers_are_escaped() -> None:
    assert md("- item") == "\\- item"
    assert md("1. item") == "\\1. item"
    assert md("# heading") == "\\# heading"


def test_bulk_pieces() -> None:
    out = io.StringIO()
    write_markdown(result(), out, heading=line_heading(3, "drug-a, <drug-b>"), with_notice=False)
    assert out.getvalue().startswith("# Line 3: drug-a, &lt;drug-b&gt;\n")
    assert "not medical advice" not in out.getvalue()
    assert "not medical advice" in notice(result())


@settings(max_examples=60, deadline=None)
@example(HOSTILE)
@given(st.text(alphabet=st.one_of(st.characters(), st.sampled_from(list(HOSTILE + "*_`#-+=>|\n"))), max_size=40))
def test_any_data_text_is_text_only(text: str) -> None:
    f = finding(answer=text, sources=[source(citation=text)]).model_copy(
        update={"context_name": text, "management": text, "question": text}
    )
    checked = result([f], unresolved=[text], warnings=[regimen_warning(message=text)])
    rendered = markdown(checked)
    assert no_raw_controls(rendered)
    found = tokens(rendered)
    assert not [t for t in found if t.type in {"html_inline", "html_block", "image"}]
    assert all(h == "https://pubmed.ncbi.nlm.nih.gov/12345678/" for h in hrefs(rendered))
    assert not re.search(r"(?<!\]\()https?://", rendered.replace("\\://", "")), "no bare URL to autolink"
