"""Links for documents (Markdown, FHIR, CDS Hooks, CSV, citations), built only from identifiers that
pass the same patterns the table validator uses, and only ever https.

A URL is never copied from a data string into a document as-is: the identifier is checked, then the URL
is built from it and every character that could end a link, break out of an attribute or drive a
terminal is percent-encoded. So a DOI like ``x)](javascript:alert(1)`` cannot become a live link.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from ketinteract.results import SourceOut

_PMID = re.compile(r"[1-9][0-9]{0,8}")
_DOI = re.compile(r"10\.[0-9]{4,9}/\S+")
_HTTPS = re.compile(r"https://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#]\S*)?")
_UNSAFE = re.compile(r"[\x00-\x20\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\"'<>\\^`{|}]")
# Parentheses are legal in URLs but end a Markdown link destination; percent-encoding them keeps the URL's
# meaning (servers decode them) and keeps a link one link.
_UNSAFE_IN_MARKDOWN = re.compile(r"[()\[\]*_]")


def _percent(match: re.Match[str]) -> str:
    return quote(match.group(), safe="")


def clean_url(url: str | None) -> str | None:
    """``url`` if it is an https URL with a plain host name and only printable characters, with unsafe
    ones percent-encoded; None for anything else (``javascript:``, ``http:``, ``data:``, a host with odd
    characters, a control character or lone surrogate anywhere)."""
    if url is None or not url.isprintable() or not _HTTPS.fullmatch(url):
        return None
    return _UNSAFE.sub(_percent, url)


def pubmed_url(pmid: str | None) -> str | None:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid and _PMID.fullmatch(pmid) else None


def doi_url(doi: str | None) -> str | None:
    if not doi or not doi.isprintable() or not _DOI.fullmatch(doi):
        return None
    return "https://doi.org/" + quote(doi, safe="/:;,.-_()~!*$&+=@")


def source_url(source: SourceOut) -> str | None:
    """The one link a source is cited by: PubMed, else the DOI, else its own https URL."""
    return pubmed_url(source.pmid) or doi_url(source.doi) or clean_url(source.url)


def markdown_url(url: str) -> str:
    """A URL from this module, made safe as a Markdown link destination."""
    return _UNSAFE_IN_MARKDOWN.sub(_percent, url)
