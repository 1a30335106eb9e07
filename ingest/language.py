"""The language of a post: an ISO 639-1 code (``"en"``, ``"de"``, ``"ja"``…) or ``"und"`` (undetermined).

Posts are mostly English, and ingest must stay fast, so detection runs in two steps:

1. **A plain-English check** (microseconds, no library): after removing what is not language — links,
   ``@mentions``, hashtag signs, numbers, emoji — a text is English when it is written in ASCII letters and
   enough of its words are common English function words (``the``, ``my``, ``you``, ``still``…, see
   :data:`ENGLISH_MARKERS`; words shared with other Latin-script languages such as ``a``, ``me``, ``no``,
   ``in``, ``die`` are left out). A text with fewer than :data:`MIN_LETTERS` letters has no language
   content and is ``"und"``; a very short ASCII reply ("DM sent", "Thankx") counts as English.
2. **Lingua** for everything else (Stahl, *Lingua: the most accurate natural language detection library*,
   https://github.com/pemistahl/lingua-py; its n-gram models ship inside the ``lingua-language-detector``
   wheel, so nothing is downloaded at run time). The detector is built lazily, once per process, over the
   languages of :data:`DETECTED_LANGUAGES` (the large languages of social media; restricting the set keeps
   the resident models smaller and avoids rare-language false positives on short texts), and answers
   ``"und"`` when it cannot decide.

``bench/sentiment.py`` prints how many posts each step decides and the throughput of both.
"""

from __future__ import annotations

import html
import re
from functools import cache
from typing import Any

UNDETERMINED = "und"
"""The code for a text without enough language content to tell (ISO 639-2 ``und``)."""

MIN_LETTERS = 3
"""Fewer letters than this (after links, mentions, numbers and emoji are removed) is ``"und"``."""

SHORT_REPLY_WORDS = 3
"""An ASCII text of at most this many words and no non-English signal counts as English ("DM sent")."""

_ENGLISH_MARKER_WORDS = """
    the and you your you're youre i i'm im i've ive i'll i'd it's its this that these those with have has
    had not don't dont can't cant won't wont didn't didnt doesn't doesnt isn't isnt wasn't aren't haven't
    hasn't couldn't shouldn't wouldn't what what's why how when where who which there their they them we
    our us he she his her him be been being are were will would could should just get got still already
    again any anyone someone anything something nothing never ever always very really too of for from
    about after before than then but or if because thanks thank thx please help order account phone app
    service customer day days time today yesterday tomorrow week hours now up out off over back new one
    two all some many much more most only also even yet here to at on dm sent yes good my does your
    great love like well done ok okay cool let let's make made go going know think want need see look
    looks looking best worst better right
"""
ENGLISH_MARKERS = frozenset(_ENGLISH_MARKER_WORDS.split())
"""Words that mark a text as English. Short words that other Latin-script languages share (``a``, ``me``,
``no``, ``in``, ``is``, ``was``, ``die``, ``son``…) are :data:`WEAK_ENGLISH_MARKERS`, worth half."""

WEAK_ENGLISH_MARKERS = frozenset({"a", "is", "it", "in", "was", "no", "so", "me", "as", "an", "do", "am"})

DETECTED_LANGUAGES = (  # noqa: SIM905 - a code list reads better as text
    "EN ES PT FR DE IT NL SV DA NB FI PL CS RO HU TR RU UK EL AR HE FA HI BN UR ID MS TL VI TH JA ZH KO"
).split()
"""ISO 639-1 codes of the languages Lingua chooses among (where a text is not plainly English)."""

_NOT_LANGUAGE = re.compile(
    r"https?://\S+|www\.\S+|[@＠]\w+|&\w+;|[#0-9_]|[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200D]"
)
_NON_LATIN = re.compile(r"[^\x00-\u024F\u1E00-\u1EFF\u2000-\u206F]")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_CURLY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def language_content(text: str) -> str:
    """``text`` less what carries no language: links, @mentions, HTML entities, ``#``, digits, emoji."""
    return _NOT_LANGUAGE.sub(" ", html.unescape(text).translate(_CURLY))


def words_of(content: str) -> list[str]:
    """The lower-cased words of :func:`language_content` output (letters, with inner apostrophes)."""
    return [word.lower() for word in _WORD.findall(content)]


def plain_english(words: list[str]) -> bool:
    """Whether a tokenised text is plainly English without asking a model (step 1 of the module doc).

    Words in ASCII letters: at least two marker words, or markers making at least a sixth of the words, or a short
    reply (at most :data:`SHORT_REPLY_WORDS` words). Latin words with accents (a name, a borrowed word): at least three marker
    words making at least a third of the words. Any other script: never.
    """
    markers = sum(1 for word in words if word in ENGLISH_MARKERS) + 0.5 * sum(
        1 for word in words if word in WEAK_ENGLISH_MARKERS
    )
    if all(word.isascii() for word in words):
        return markers >= 2 or 0 < markers * 6 >= len(words) or len(words) <= SHORT_REPLY_WORDS
    if any(_NON_LATIN.search(word) for word in words):
        return False
    return markers >= 3 and markers * 3 >= len(words)


def detect_language(text: str) -> str:
    """The ISO 639-1 code of ``text``'s language, or ``"und"`` (see the module doc for the two steps)."""
    content = language_content(text)
    words = words_of(content)
    letters = sum(len(word) for word in words)
    if letters < MIN_LETTERS:
        return UNDETERMINED
    if plain_english(words):
        return "en"
    language = _lingua().detect_language_of(content)
    return UNDETERMINED if language is None else language.iso_code_639_1.name.lower()


@cache
def _lingua() -> Any:
    """The process-wide Lingua detector over :data:`DETECTED_LANGUAGES` (models load on first use)."""
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code) for code in DETECTED_LANGUAGES]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()
