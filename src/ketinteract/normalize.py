"""Normalising names as people type them: case, unicode, punctuation, salts, strengths and forms."""

from __future__ import annotations

import re
import unicodedata

SALT_WORDS = frozenset(
    {
        "hydrochloride",
        "hcl",
        "hydrobromide",
        "hbr",
        "sulfate",
        "sulphate",
        "tartrate",
        "bitartrate",
        "citrate",
        "maleate",
        "mesylate",
        "besylate",
        "acetate",
        "sodium",
        "potassium",
        "phosphate",
        "bromide",
        "dihydrate",
        "monohydrate",
        "anhydrous",
        "base",
    }
)
"""Salt and hydrate words, dropped so "naltrexone HCl" finds naltrexone. Only words that never name an
ingredient on their own in this table belong here."""

FORM_WORDS = frozenset(
    {
        "injection",
        "injectable",
        "infusion",
        "solution",
        "tablet",
        "tablets",
        "tab",
        "tabs",
        "capsule",
        "capsules",
        "cap",
        "caps",
        "oral",
        "nasal",
        "spray",
        "intranasal",
        "iv",
        "im",
        "sc",
        "sublingual",
        "film",
        "patch",
        "er",
        "xr",
        "sr",
        "ir",
        "extended",
        "release",
        "syrup",
        "vial",
        "ampoule",
        "ampule",
        "prefilled",
        "syringe",
        "generic",
        "usp",
        "bp",
    }
)
"""Dose-form and route words, dropped from names ("ketamine injection")."""

_STRENGTH = re.compile(
    r"\b\d+(?:[.,]\d+)?\s*(?:mg|mcg|µg|ug|g|ml|mL|l|%|units?|iu|mmol)"
    r"(?:\s*/\s*\d*(?:[.,]\d+)?\s*(?:ml|l|dose|h|hr|hour|actuation|spray|tablet|kg))?\b",
    re.IGNORECASE,
)
_LONE_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)?\b")
_NOT_WORD = re.compile(r"[^\w]+")


def basic_key(name: str) -> str:
    """Case, unicode and punctuation folded; every word kept. "Ketamine-HCl " -> "ketamine hcl"."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = text.replace("µ", "u").replace("μ", "u")
    text = "".join(" " if unicodedata.category(ch)[0] in "CPSZ" and ch != "%" else ch for ch in text)
    return " ".join(_NOT_WORD.sub(" ", text).split())


def stripped_key(name: str) -> str:
    """``basic_key`` without strengths, salt words and dose-form words ("Ketamine HCl 50 mg/mL" -> "ketamine").

    Returns "" when nothing but such words remain, so a bare "HCl" never matches anything.
    """
    text = unicodedata.normalize("NFKC", name).casefold().replace("µ", "u").replace("μ", "u")
    text = _STRENGTH.sub(" ", text)
    words = basic_key(text).split()
    kept = [w for w in words if w not in SALT_WORDS and w not in FORM_WORDS]
    kept = [w for w in kept if not _LONE_NUMBER.fullmatch(w)]
    return " ".join(kept)
