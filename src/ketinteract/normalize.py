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


def form_key(name: str) -> str:
    """``basic_key`` without salt and dose-form words but with every number kept, so "Tylenol #3
    tablets" still finds the product "Tylenol #3" (codeine with paracetamol) rather than plain
    "Tylenol" (paracetamol alone): a strength-like number can be part of a product's name."""
    words = basic_key(name).split()
    return " ".join(w for w in words if w not in SALT_WORDS and w not in FORM_WORDS)


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


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, stopping early once it exceeds ``limit`` (returns ``limit + 1`` then)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def suggest(key: str, names: list[tuple[str, str]], limit: int = 3) -> list[str]:
    """Entity ids whose names are a few typing slips from ``key`` (folded), closest first.

    Only names within a small edit distance qualify (one slip per four letters, at most three), so
    "codeine" is never offered "clonidine": with a broad vocabulary a real drug name is recognised,
    and a suggestion is a typo's correction, not a look-alike.
    """
    if not key:
        return []
    allowed = min(3, max(1, len(key) // 4))
    import difflib

    close = difflib.get_close_matches(key, [n for n, _e in names], n=limit * 4, cutoff=0.7)
    by_name = dict(names)
    scored = sorted((edit_distance(key, n, allowed), i, n) for i, n in enumerate(close))
    found: list[str] = []
    for distance, _i, name in scored:
        entity = by_name[name]
        if distance <= allowed and entity not in found:
            found.append(entity)
    return found[:limit]
