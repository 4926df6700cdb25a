"""Text compared the forgiving way: the normalisations the readers share, one function each.

People type the same words in different ways: decomposed or composed ä, a dash for a hyphen, two
spaces, another case. Each reader compares what it reads with what auditkit wrote through one of these.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def squeeze(text: str) -> str:
    """The text in composed form (NFC) with its whitespace collapsed to single spaces and trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str) -> str:
    """The text as a key that ignores case, width and compatibility forms (NFKC), dashes for hyphens
    and runs of whitespace: "3 – Kehittynyt" and "3 - kehittynyt" fold alike."""
    text = unicodedata.normalize("NFKC", text).replace("\u2013", "-").replace("\u2014", "-")
    return _SPACES.sub(" ", text).strip().casefold()


def header_key(text: str) -> str:
    """A column header compared the loosest way: case, spaces, punctuation, (notes) and ä/ö/å ignored."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = re.sub(r"\(.*?\)", "", text)
    text = text.translate(str.maketrans("äöå", "aoa"))
    return "".join(ch for ch in text if ch.isalnum())
