"""Author strings as the table stores them (MEDLINE style: "Williams NR", "van Dam AB", "Zarate CA Jr"),
split into the family and given parts that reference managers need.

The rule: the last word is the initials (one to four capital letters, possibly hyphenated, "J-X"), after
an optional generational suffix; every word before it is the family name, particles included ("van Dam",
"De Bernardini", "Vande Voort"). A name with no initials word (an organisation, a consortium) is kept
whole as a literal name, so nothing is ever split where we cannot tell the parts apart.
"""

from __future__ import annotations

from dataclasses import dataclass

SUFFIXES = frozenset({"Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV", "2nd", "3rd"})
_MAX_INITIALS = 4
"""MEDLINE writes at most a few initials; a longer capitalised word ("NIDA", "WHO") is more likely part of
an organisation's name than initials, but four keeps "HFK"-style triple initials."""


@dataclass(frozen=True)
class PersonName:
    family: str
    """The whole name when ``literal``."""
    given: str = ""
    """The initials exactly as stored ("NR", "J-X"); empty for a literal name."""
    suffix: str = ""

    @property
    def literal(self) -> bool:
        return not self.given

    def joined(self) -> str:
        """The name as the table stores it (whitespace normalised)."""
        return " ".join(part for part in (self.family, self.given, self.suffix) if part)

    def dotted_given(self) -> str:
        """The initials the way BibTeX and CSL processors read them, one token per initial: "NR" -> "N. R.",
        "J-X" -> "J.-X.". BibTeX abbreviates each space-separated token, so "NR" would become "N."."""
        parts = [" ".join(f"{letter}." for letter in chunk) for chunk in self.given.replace(".", "").split("-")]
        return "-".join(parts)


def is_initials(word: str) -> bool:
    """True for "N", "NR", "HFK", "J-X", "M-L", "N.R." (capital letters, optionally hyphenated or dotted)."""
    chunks = word.replace(".", "").split("-")
    letters = "".join(chunks)
    if not letters or len(letters) > _MAX_INITIALS or any(not chunk for chunk in chunks):
        return False
    return all(ch.isalpha() and ch.isupper() for ch in letters)


def split_author(name: str) -> PersonName:
    """``name`` as family, given and suffix (or as one literal name when it has no initials word)."""
    words = name.split()
    suffix = ""
    body = words
    if len(words) >= 3 and words[-1] in SUFFIXES and is_initials(words[-2]):
        body, suffix = words[:-1], words[-1]
    if len(body) >= 2 and is_initials(body[-1]):
        return PersonName(family=" ".join(body[:-1]), given=body[-1], suffix=suffix)
    return PersonName(family=" ".join(words))
