"""Sentiment for customer-support posts: VADER plus rules for how customers write to brands.

Plain VADER (Hutto & Gilbert, ICWSM 2014) reads support talk as friendlier than it is: a complaint is
written politely ("please help", "thank you"), the vocabulary of failure ("still waiting", "no reply",
"cancelled my order", "switching to X") is missing from its lexicon, and a neutral request ("can you
check my booking?") picks up the valence of "please" and "help". The :class:`SupportSentimentScorer`
keeps VADER as the base and adds rules, each a family of cues, never a single tweet's words. The
base is VADER's compound score of the cleaned text (links, @mentions and ``#`` removed) with
**politeness weighing nothing**: "please", "help", "support", "care", "sure", "ok", "thanks"… are
taken out of the lexicon (gratitude is decided by rule 3 instead). Then the first rule that applies
decides:

1. **Resolution** (:data:`RESOLUTION`: "works now", "has been resolved", "that did it", "got my
   package back", "resolving my issue") with gratitude or at most one complaint cue: positive,
   ``max(base, 0.5)``.
2. **Complaint and churn cues** (:data:`COMPLAINT_CUES`): churn ("cancelled my order", "switching to",
   "gone to", "never … again", "not renewing"), waiting and silence ("still waiting", "no reply", "on
   hold", "for 3 days", "third time"), failure ("doesn't work", "won't load", "broken", "charged twice",
   "was supposed to", "sold out of", an "issue" or "problem" unless "no"/"without" one), verdicts ("useless", "unacceptable", "wtf", "why is…", "??"),
   negated praise ("not great"), demands ("someone needs to", "asap"), frustration emoji and emoticons
   (😡 🙄 🤦 :( ), and shouting (mostly capitals, when the base is not positive). Any cue makes the post
   negative, ``min(base, -0.25 - 0.15 * (cues - 1))``: a thank-you closing a complaint cannot lift it.
3. **Gratitude** (:data:`GRATITUDE`) with no complaint cue: positive, ``max(base, 0.5)`` — unless it is
   thanks in advance or the post asks a question.
4. **Praise emoji** (:data:`PRAISE_EMOJI`: 😍 👍 🙌 ❤️ …) with no complaint cue: positive,
   ``max(base, 0.3)``.
5. **Questions and requests** (:data:`REQUEST`: "?", "can you…", "how do I…", "please…", "DM sent")
   with a weak base (``|base| < 0.6``) are neutral: the base is scaled by 0.05, keeping its sign inside
   the neutral band.
6. Otherwise the base score stands (VADER's own negation, intensifier, capitals and emoji handling).

Non-English text is not scored (``score=None``): the English lexicon cannot read it (see
:mod:`ingest.sentiment`). ``reason`` names the rule that decided and the cues found.
Measured on labelled support tweets by ``bench/sentiment.py`` (docs/sentiment.md).
"""

from __future__ import annotations

import html
import re
from typing import Any

from ingest.sentiment import SCORED_LANGUAGES, SentimentResult, vader_analyzer

POLITE_WORDS = (  # noqa: SIM905 - a word list reads better as text
    "please plz pls help helps helped helping support supports care cares sure ok okay yes yeah yep yea "
    "thank thanks thx appreciate appreciated kind kindly pretty well hope hopefully like likes welcome "
    "free chance lol haha"
).split()
"""Words VADER rates positive that customers use to be polite or in passing; they weigh 0 in the base."""

_A = r"(?:a|an|the|my|our|your|this|that|his|her|their)"
_DURATION = (
    r"(?:\d+|a|an|one|two|three|four|five|six|several|many|few|couple(?:\s+of)?)\s+(?:more\s+)?"
    r"(?:hours?|hrs?|days?|weeks?|wks?|months?|mins?|minutes?)"
)
_NEGATED_AUX = (
    r"(?:doesn'?t|does\s+not|don'?t|do\s+not|won'?t|will\s+not|can'?t|cannot|can\s+not|couldn'?t|"
    r"could\s+not|isn'?t|is\s+not|aren'?t|wasn'?t|weren'?t|didn'?t|did\s+not|haven'?t|hasn'?t|have\s+not|"
    r"has\s+not|not|never|unable\s+to|fails?\s+to|failed\s+to|stopped)"
)
_FAILING_VERB = (
    r"(?:work|working|worked|load|loading|open|opening|connect|connecting|turn\s+on|print|printing|play|"
    r"playing|download|downloading|sync|syncing|log\s*in|log\s*into|logging\s+in|sign\s*in|update|updating|install|"
    r"installing|charge|charging|let\s+me|crash|crashing|crashed|freez\w*|show|showing|accept|accepting|"
    r"respond|responding|responded|reply|replying|replied|answer|answering|answered|arrive|arrived|"
    r"deliver|delivered|receive|received|get\s+through|access|send|sending|stream|streaming|help|helped|"
    r"helpful|fix|fixed|resolve|resolved|refund|refunded|credit|credited|go\s+through|find|found|"
    r"drop|dropping|buffer\w*|lag\w*|acceptable|happy|impressed|good\s+enough|come|came|show\s+up|"
    r"showed\s+up|shown\s+up|heard|hear|get|got|gotten|care|cared|provid\w*|process\w*|honou?r\w*|ship\w*|"
    r"cancel\w*|offer\w*|tell|told|inform\w*|notif\w*)"
)

COMPLAINT_CUES: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern)
    for name, pattern in {
        "churn": (
            rf"\b(?:cancel+(?:ed|ing)?|clos(?:e|ed|ing)|terminat\w+)\s+{_A}?\s*(?:order|account|subscription|"
            r"service|plan|membership|card|contract|line|booking|prime|premium)\b"
            # moving to a third party ("switched to you" is the brand winning a customer)
            r"|\b(?:switch\w*|mov(?:e|ed|ing)|port\w*|gone|went\s+back|going\s+back)\s+(?:over\s+|back\s+)?to\b"
            r"(?!\s+(?:you|u|your)\b)"
            r"|\bnever\b[^.!?]{0,40}\bagain\b|\bdone\s+with\s+(?:you|\w+)\b|\b(?:lost|losing)\s+(?:a|another|this|"
            r"your|one)\s+(?:\w+\s+)?customer|\bno\s+longer\s+(?:a\s+)?(?:customer|member|using)\b"
            r"|\btak\w+\s+(?:my|our)\s+(?:business|money)\b|\bunsubscrib\w*|\blast\s+time\s+I\b"
            r"|\bregret\w*|\bbiggest\s+mistake\b|\bwon'?t\s+be\s+(?:back|using|ordering|flying)"
            r"|\b(?:not|won'?t|never)\s+(?:be\s+)?renew\w*|\bcontract\s+is\s+up\b|\bfrom\s+now\s+on\b"
        ),
        "waiting": (
            r"\bstill\s+(?:\w+ing\b|no\b|not\b|nothing|hasn'?t|haven'?t|doesn'?t|don'?t|won'?t|can'?t|isn'?t|"
            r"broken|down\b|missing|stuck|unable|without|hasnt|havent|doesnt|dont|wont|cant|isnt|says|on\s+hold|"
            r"the\s+same)"
            r"|\b(?:no|zero|without|got\s+no|get\s+no|received\s+no|have\s+no)\s+(?:reply|replies|response|"
            r"responses|answer|answers|update|updates|refund|credit|resolution|luck|call\s*back|callback|word|"
            r"explanation|follow\s*up|help\b|info\w*|service|internet|signal|wi-?fi|connection|power|delivery|"
            r"progress|contact|notification|\w+\s+(?:at\s+all|whatsoever))"
            r"|\bon\s+hold\b|\b(?:been|keep|kept|have\s+been)\s+waiting\b|\bwaiting\s+(?:for|on|since)\b"
            rf"|\b(?:for|over|after|in|been|waited|waiting)\s+(?:the\s+)?(?:past\s+|last\s+)?(?:over\s+|about\s+|almost\s+|"
            rf"nearly\s+)?{_DURATION}\b|\bheard\s+(?:zero|nothing)\b|\bto\s+no\s+avail\b"
            rf"|\b{_DURATION}\s+(?:later|now|and\s+(?:still|no))\b"
            r"|\b(?:\d+(?:st|nd|rd|th)|second|third|fourth|fifth|several|multiple|many)\s+(?:time|call|attempt|"
            r"email|message|tweet|dm|notice|reminder|request|complaint)s?\b|\b(?:\d+|two|three|four|five|several|multiple)\s+times\b"
            r"|\bnot\s+yet\b|\bnobody\b|\bno\s*one\b|\bignor\w+|\bchasing\b"
        ),
        "failure": (
            rf"\b{_NEGATED_AUX}\s+(?:even\s+|ever\s+|been\s+|yet\s+|be\s+|really\s+|actually\s+|properly\s+)?"
            rf"{_FAILING_VERB}\b"
            r"|\b(?:broke\s+(?:down|again|my|it)|broken|crash\w*|glitch\w*|bug|bugs|buggy|error\w*|freez\w*|froze|"
            r"frozen|stuck|outages?|lag|laggy|lagging|slow\w*|missing|lost|wrong|late|delay\w*|overcharg\w*|"
            r"double\s+charg\w*|charged|refund|refunds|fraud\w*|stolen|stole|scam\w*|hack\w*|damaged|defective|"
            r"faulty|disconnect\w*|dropp\w*|bricked|cancel+ed|failed|fails|fail|unable|impossible|(?<!no\s)(?<!without\s)(?:problems?|issues?)|trouble|"
            r"complain\w*|inconvenien\w*|mess(?:ed)?\s+up|screw\w*|ruin\w*|wast\w+|"
            r"down\s+again|is\s+down|are\s+down|went\s+down|keeps?\s+\w+ing|spam\w*|no\s+show|forg[oe]t\w*|"
            r"denied|declined|rejected|refused|accidental\w*|by\s+mistake|mistaken\w*|struggl\w*|hung\s+up|"
            r"hang\w*\s+up\s+on|(?:was|were|is|are|am)\s+supposed\s+to|(?:are|were|was|is|they'?re|ran|run|"
            r"running|sold|there)\s+out\s+of|(?:didn'?t|did\s+not|don'?t|doesn'?t|won'?t|can'?t)\s+even|"
            r"(?:doesn'?t|does\s+not|don'?t|do\s+not)\s+make\s+(?:any\s+)?sense|deactivat\w*|suspend\w*|locked\s+out|"
            r"blocked|banned|mou?ld\w*|expired|stale|undercook\w*|incorrect\w*|inaccurate|unusable|less\s+usable|"
            r"nothing\s+(?:works|worked|helped|happened|changed))\b"
        ),
        "verdict": (
            r"\b(?:useless|unacceptable|ridiculous|pathetic|joke|shame\w*|disgrac\w*|terrible|horrible|"
            r"horrendous|awful|worst|trash|garbage|crap\w*|sucks?|sucked|stinks?|wtf|wth|smh|ugh+|omg|fml|rufkm|"
            r"bs|rude\w*|unprofessional|incompetent|inept\w*|clueless|lie|lies|lied|lying|liars?|shady|annoy\w*|"
            r"frustrat\w*|disappoint\w*|upset|angry|mad|furious|fed\s+up|sick\s+of|tired\s+of|unethical|unfair|"
            r"misleading|bummer|bummed|baffl\w*|could\s+do\s+better|(?:was|were|has|have|had)\s+never|shit\w*|bullshit|fuck\w*|f\*+|damn\w*|piss\w*|(?<!no\s)worr(?:y|ied|ies|ying)|thanks\s*for\s*nothing|"
            r"fix\s+(?:it|this|your|the)|sort\s+(?:it|this)\s+out|get\s+(?:it|your\s+\w+)\s+together|poor|bad|"
            r"worse|hate\w*|nightmare|stress\w*|unbelievable|insane|nuts|absurd|embarrass\w*|lame|"
            r"what'?s\s+the\s+point|why\s+(?:is|does|do|did|are|would|can'?t|won'?t|isn'?t|doesn'?t|the\s+hell))\b"
            r"|\b(?:really|again|seriously)\s*\?+|\?[?!]+"
        ),
        "negated praise": (
            r"\b(?:not|isn'?t|wasn'?t|aren'?t|weren'?t|ain'?t|never|hardly|no\s+longer)\s+(?:\w+\s+)?(?:good|great|"
            r"nice|friendly|helpful|fair|right|easy|clear|fun|happy|impressed|acceptable|reliable|fast|cool|ok|"
            r"okay|satisf\w+|pleased|worth\s+it)\b"
        ),
        "demand": (
            r"\b(?:someone|somebody|y'?all|your\s+\w+|company)\s+(?:really\s+)?(?:need|needs|"
            r"have|has|must|should)\s+to\b|\bimmediately\b|\basap\b|\burgent\w*"
        ),
        "frustration emoji": (
            "[\U0001f621\U0001f620\U0001f92c\U0001f624\U0001f629\U0001f62b\U0001f61e\U0001f614\U0001f622"
            "\U0001f926\U0001f644\U0001f612\U0001f643\U0001f611\U0001f610\U0001f4a9\U0001f44e\U0001f62a"
            "\U0001f615\U0001f641\u2639\U0001f616\U0001f623\U0001f625\U0001f628\U0001f92f\U0001f635"
            "\U0001f613\U0001f97a]"
        ),
        "frustration emoticon": r"[:;=]-?\(|:'\(",
    }.items()
}
"""Families of complaint and churn cues, matched on lower-cased text; each distinct term counts once."""

RESOLUTION = re.compile(
    r"\b(?:works?\s+(?:now|again|perfectly)|working\s+(?:now|again)|(?:it'?s|its|all|it\s+is|everything'?s?|"
    r"that'?s)\s+(?:now\s+)?(?:working|sorted|fixed|resolved)|fixed\s+(?:it|now)|(?:been|got|is|was|are|were|"
    r"has\s+been|have\s+been)\s+(?:resolved|sorted|fixed|refunded|credited)|problem\s+solved|(?:that|which|this)"
    r"\s+(?:worked|did\s+it|fixed\s+it|helped|solved\s+it)|^\W*works?\b|^\W*worked\b|i\s+fixed\s+it|"
    r"figured\s+(?:it\s+)?out|got\s+(?:it|my\s+\w+|the\s+\w+)\s+(?:now|back|thanks|thank)|(?:has|have)\s+arrived|"
    r"arrived\s+(?:today|safely|now)|all\s+good|back\s+(?:up|on)\b|(?:got|getting|been|was)\s+refunded|"
    r"came\s+back\s+on|"
    # done, not asked for or promised: "resolved my issue", "thanks for fixing the problem", "does resolve
    # the issue" (a request, "can you resolve my issue", or a promise, "coming to fix it", is no resolution)
    r"(?:\b(?:resolv|solv|fix|sort)ed|\bfor\s+(?:resolv|solv|fix|sort)\w*|\b(?:does|did)\s+(?:resolve|solve|fix|sort))"
    r"\s+(?:out\s+)?(?:my|the|this|that|our|your)\s+(?:issue|problem|query|complaint)s?)",
)
"""A problem reported as solved ("works now", "resolving my issue", "does resolve the issue")."""

PRAISE_EMOJI = re.compile(
    "[\U0001f600\U0001f601\U0001f603\U0001f604\U0001f606\U0001f609\U0001f60a\U0001f60b\U0001f60d\U0001f60e\U0001f618\U0001f619"
    "\U0001f61a\U0001f61b\U0001f61c\U0001f61d\U0001f642\U0001f917\U0001f929\U0001f970\U0001f973"
    "\U0001f44d\U0001f44c\U0001f44f\U0001f64c\U0001f4aa\u2728\U0001f389\U0001f38a\u2764\U0001f495-\U0001f49f"
    "\U0001f9e1\U0001f5a4\U0001f4af\U0001f525\u2b50\U0001f31f\u2714\u2705\u263a\U0001f924\U0001f63b]"
)
"""Emoji of praise, joy and affection (smiling faces, thumbs up, clapping, hearts, 💯, ✔)."""

GRATITUDE = re.compile(
    r"\b(?:thanks?|thank\s*(?:you|u|ya)|thx|thnx|tysm|ty|cheers|appreciate[ds]?|appreciation|grateful|kudos|"
    r"shout\s*-?\s*out|much\s+obliged|ta)\b",
)
IN_ADVANCE = re.compile(r"\b(?:thanks?|thank\s+you)\s+in\s+advance\b|\btia\b")
REQUEST = re.compile(
    r"\?|^\W*(?:can|could|would|will|how|what|when|where|who|which|why|is|are|do|does|did|should|any|please|"
    r"pls|plz|hi|hello|hey|dm|dm'?d|sent|i\s+(?:need|want|would\s+like|'?d\s+like))\b"
    r"|\b(?:can|could|would)\s+(?:you|u|someone|i|we)\b|\bhow\s+(?:do|can|to)\b|\bdm(?:'?d|\s+sent|ed)?\b"
    r"|\b(?:please|pls|plz)\s+\w+",
)

_URL_OR_MENTION = re.compile(r"https?://\S+|www\.\S+|[@＠]\w+")
_ELLIPSIS = re.compile(r"\.{2,}|\u2026")
_CLEAN = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\ufe0f": None, "#": " "})
_SHOUTED_WORD = re.compile(r"\b[A-Z]{3,}\b")
_WORDS = re.compile(r"\b\w+\b")

COMPLAINT_FLOOR = -0.25
COMPLAINT_STEP = 0.15
POSITIVE_FLOOR = 0.5
PRAISE_EMOJI_FLOOR = 0.3
QUESTION_DAMPING = 0.05
STRONG_BASE = 0.6
SHOUTED_WORDS = 3


def clean_text(text: str) -> str:
    """``text`` with HTML entities decoded, curly quotes straightened, links, @mentions and ``#`` removed,
    and ellipses spaced out (VADER splits on white space only, so "best...better" would be one word)."""
    text = _URL_OR_MENTION.sub(" ", html.unescape(text)).translate(_CLEAN)
    return _ELLIPSIS.sub(" ... ", text).strip()


def shouting(text: str) -> bool:
    """At least :data:`SHOUTED_WORDS` all-capital words of 3+ letters making at least half of the words."""
    shouted = len(_SHOUTED_WORD.findall(text))
    return shouted >= SHOUTED_WORDS and 2 * shouted >= len(_WORDS.findall(text))


def complaint_cues(lowered: str) -> list[str]:
    """The complaint and churn cues in a cleaned, lower-cased text, as ``family: matched words``."""
    found = []
    for family, pattern in COMPLAINT_CUES.items():
        terms = {match.group(0).strip() for match in pattern.finditer(lowered)}
        found.extend(f"{family}: {term}" for term in sorted(terms))
    return found


class SupportSentimentScorer:
    """VADER with customer-support rules (see the module doc for the rules and their order)."""

    def __init__(self) -> None:
        self._analyzer: Any = None

    def _base(self, text: str) -> float:
        if self._analyzer is None:
            analyzer = vader_analyzer()
            for word in POLITE_WORDS:
                analyzer.lexicon.pop(word, None)
            self._analyzer = analyzer
        return float(self._analyzer.polarity_scores(text)["compound"])

    def score(self, text: str, lang: str) -> SentimentResult:
        if lang not in SCORED_LANGUAGES:
            return SentimentResult.unscored(lang, f"not scored: no English-lexicon reading of lang {lang!r}")
        cleaned = clean_text(text)
        if not cleaned:
            return SentimentResult.scored(0.0, lang, "no text")
        base = self._base(cleaned)
        lowered = cleaned.lower()
        cues = complaint_cues(lowered)
        if base <= 0 and shouting(cleaned):
            cues.append("shouting")
        resolved = RESOLUTION.search(lowered) is not None
        grateful = GRATITUDE.search(lowered) is not None
        request = REQUEST.search(lowered) is not None
        if resolved and (grateful or len(cues) <= 1):
            return SentimentResult.scored(max(base, POSITIVE_FLOOR), lang, "problem resolved")
        if cues:
            score = min(base, COMPLAINT_FLOOR - COMPLAINT_STEP * (len(cues) - 1))
            return SentimentResult.scored(score, lang, "complaint (" + "; ".join(cues) + ")")
        if grateful and not IN_ADVANCE.search(lowered) and "?" not in cleaned:
            return SentimentResult.scored(max(base, POSITIVE_FLOOR), lang, "gratitude")
        if PRAISE_EMOJI.search(cleaned) and base > -STRONG_BASE:
            return SentimentResult.scored(max(base, PRAISE_EMOJI_FLOOR), lang, "praise emoji")
        if request and abs(base) < STRONG_BASE:
            return SentimentResult.scored(base * QUESTION_DAMPING, lang, "question or request")
        return SentimentResult.scored(base, lang, "vader compound (support lexicon)")
