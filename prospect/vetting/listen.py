"""listen (闻): the red flags in what a buyer wrote, each hit explained with the words that fired it.

The rules are data (``prospect/data/listen_rules.toml``, from ../shared/research/vetting.md §2);
this module adds the few that need more than a pattern: shouting (L74), first-person density
(L73), free mail speaking for an organisation (L63), Latin words spelt with another alphabet's
letters (L64h) and, for .eml input, the header rules (Reply-To elsewhere, a display name that
lies, look-alike domains of well-known firms, risky attachments). The rules' points are the sum
of the red flags that fired (each once; a rule's ``lone`` weight when nothing else fired) minus
the genuine-buyer signals, which together subtract at most 2.5; a long message that speaks of
others rather than to its reader counts half its red flags and no more than a warn (P4). The
learned model
(:mod:`prospect.vetting.model`: the shipped one, or the user's from ``prospect learn``) adds the
evidence it finds in log-odds, capped at its own ``cap`` (3 unless its file says less), shown as
the hit ``M1`` with the words that weighed most. The listen score is rules plus model.

Verdicts: score >= 4 ``fail`` (likely fake: stop, or verify only), 2 to 4 ``warn`` (verify before
quoting), below 2 ``pass``.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass, replace
from functools import cache, cached_property
from importlib import resources
from typing import Any

from prospect import normalize as n
from prospect.config import Config
from prospect.normalize import is_disposable_mail, is_free_mail
from prospect.vetting import twist
from prospect.vetting.base import Check, CheckSkipped, Finding, Subject
from prospect.vetting.message import Message, cut_long_words
from prospect.vetting.model import Model, load, shipped, user_model_path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["FAIL_AT", "GENUINE_CAP", "WARN_AT", "Hit", "ListenCheck", "ListenParts", "Rule",
           "listen", "listen_parts", "own_domains", "rules", "threat_of", "threats"]

FAIL_AT = 4.0
WARN_AT = 2.0
GENUINE_CAP = -2.5
# Alli et al. 2018: first-person singular is ~7x more frequent in 419 mail. vetting.md asks for
# the legitimate corpus's 95th percentile: on the development slice's English business mail
# (66 messages of 40+ words) I/me/my per 100 words had median 1.7, p90 6.3, p95 7.4.
FIRST_PERSON_PER_100 = 7.5
# A pitch speaks to its reader; a report (news of a fraud trial, a market column, a list's
# discussion) speaks of others. Among messages with red flags, scams that seldom say "you"
# are rare and legitimate mail that seldom does is common: such a message's red flags count
# half (Latin-script text of REPORT_WORDS words or more; an SMS is too short to tell).
SECOND_PERSON_PER_100 = 0.5
REPORT_WORDS = 60
_WORD = re.compile(r"[A-Za-z']+")
_YOU = frozenset({"you", "your", "yours", "yourself", "yourselves", "u"})
_REPORT_TITLE = "speaks of others, not to you: a report, not a request"
_RISKY_EXT = re.compile(r"\.(html?|shtml|iso|img|vhdx?|exe|scr|com|pif|bat|cmd|js|jse|vbs|vbe|wsf|hta|"
                        r"lnk|msi|jar|docm|xlsm|pptm|xlam|one|zip|rar|7z|gz|ace|r\d\d)$", re.I)
_DOUBLE_EXT = re.compile(r"\.(pdf|docx?|xlsx?|jpe?g|png|txt)\.\w{2,4}$", re.I)
_ORG_WORDS = re.compile(r"\b(company|corporation|corp|ltd|limited|inc|llc|gmbh|bank|ministry|"
                        r"procurement|purchasing|import|export|trading|group|plc|department)\b", re.I)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@((?:[\w-]{1,63}\.){1,8}[a-z]{2,24})\b", re.I)
# A purchase inquiry (L10 applies only to these): someone says they want to buy or be quoted.
_INQUIRY = re.compile(r"\b(interested\s+in\s+(your|buying|purchasing|importing)\s+(products?|items?|goods)|"
                      r"(we|i)\s+(want|would\s+like|wish|intend|plan)\s+to\s+(buy|purchase|order|import)|"
                      r"send\s+(us|me)\s+(your\s+)?(quotation|quote|price\s?list|catalog(ue)?|proforma)|"
                      r"(request|inquiry|enquiry)\s+for\s+(quotation|quote|price))\b|"
                      r"对贵司(的)?产品(很)?感兴趣|想(要)?(采购|订购|进口)|询价|求购", re.I)


@dataclass(frozen=True)
class Rule:
    """One red flag (or genuine signal): patterns, weight, and why it matters."""

    id: str
    group: str
    weight: float
    title: str
    why: str
    # Each pattern, matched against lower-cased text, as its alternatives split by script:
    # (those without Chinese characters, those with), so that a message with no Chinese
    # character is not scanned for Chinese words.
    patterns: tuple[tuple[re.Pattern[str] | None, re.Pattern[str] | None], ...]
    alone: float | None = None  # weight when no money move fired
    lone: float | None = None  # weight when no other red flag fired
    # How many of the patterns must match: a story is told by several of its props together,
    # and a word any news item or newsletter uses ("war", "renewal") is not a red flag alone.
    at_least: int = 1


@dataclass(frozen=True)
class Hit:
    """A rule that fired: the words that fired it and the weight it added."""

    rule: str
    group: str
    weight: float
    title: str
    span: str

    def explain(self) -> str:
        """One line: rule id, weight, title and the matched words."""
        return f"{self.rule} {self.weight:+g} {self.title}: \u201c{self.span}\u201d"


def own_domains(config: Config) -> tuple[str, ...]:
    """The user's own domains, from $PROSPECT_OWN_DOMAINS or the config's [listen] own_domains."""
    raw: object = config.env.get("PROSPECT_OWN_DOMAINS") or config.section("listen").get(
        "own_domains", ())
    values = raw.replace(",", " ").split() if isinstance(raw, str) else \
        [str(v) for v in raw] if isinstance(raw, (list, tuple)) else []
    return tuple(dict.fromkeys(d for v in values
                               if (d := n.registered_domain(v.strip().lower()) or "")))


@cache
def _catalogue() -> dict[str, Any]:
    text = resources.files("prospect.data").joinpath("listen_rules.toml").read_text("utf-8")
    catalogue: dict[str, Any] = tomllib.loads(text)
    return catalogue


@cache
def threat_of() -> dict[str, str]:
    """Which threat each rule speaks for (rule id -> threat name), from the catalogue."""
    return {rule: name for name, ids in _catalogue()["threats"].items() for rule in ids}


def threats(hits: list[Hit]) -> list[str]:
    """The threats a message's red flags speak for, the heaviest first.

    A threat is named when its own rules weigh WARN_AT or more, or, failing any such, the
    heaviest one when all the red flags together do.
    """
    weights: dict[str, float] = {}
    for hit in hits:
        name = threat_of().get(hit.rule)
        if name and hit.weight > 0:
            weights[name] = weights.get(name, 0.0) + hit.weight
    ranked = sorted(weights, key=lambda k: -weights[k])
    named = [k for k in ranked if weights[k] >= WARN_AT]
    if not named and ranked and sum(h.weight for h in hits if h.weight > 0) >= WARN_AT:
        named = ranked[:1]
    return named


def _lower_pattern(pattern: str) -> str:
    """A pattern's letters in lower case (its escapes such as \\S left alone), to match the
    lower-cased text, which costs less than matching with re.IGNORECASE."""
    return re.sub(r"(?<!\\)[A-Z]", lambda m: m.group(0).lower(), pattern)


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _alternatives(pattern: str) -> list[str]:
    """A pattern's top-level alternatives: "a|b(c|d)" -> ["a", "b(c|d)"]."""
    out, start, depth, in_class, escaped = [], 0, 0, False, False
    for i, c in enumerate(pattern):
        if escaped:
            escaped = False
        elif c == "\\":
            escaped = True
        elif in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
    out.append(pattern[start:])
    return out


def _outside_classes(pattern: str) -> str:
    return re.sub(r"\[(?:\\.|[^\]])*\]", "", pattern)


def _by_script(pattern: str) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """(the alternatives that need no Chinese character, those that do), each compiled."""
    alternatives = _alternatives(pattern)
    han = [a for a in alternatives if _HAN.search(_outside_classes(a))]
    other = [a for a in alternatives if a not in han]
    return (re.compile("|".join(other)) if other else None,
            re.compile("|".join(han)) if han else None)


def _lower(text: str) -> str:
    """``text`` in lower case, character for character (a match's place is the same in both)."""
    low = text.lower()
    return low if len(low) == len(text) else "".join(
        c.lower() if len(c.lower()) == 1 else c for c in text)


@cache
def rules() -> tuple[Rule, ...]:
    """Load the rule catalogue shipped with prospect."""
    out = []
    for r in _catalogue()["rule"]:
        out.append(Rule(id=r["id"], group=r["group"], weight=float(r["weight"]), title=r["title"],
                        why=r["why"], alone=float(r["alone"]) if "alone" in r else None,
                        lone=float(r["lone"]) if "lone" in r else None,
                        patterns=tuple(_by_script(_lower_pattern(p)) for p in r["patterns"]),
                        at_least=int(r.get("at_least", 1))))
    return tuple(out)




@cache
def _lone() -> dict[str, float]:
    return {rule.id: rule.lone for rule in rules() if rule.lone is not None}


@cache
def _brands() -> dict[str, str]:
    """Well-known firms whose names scammers borrow: label -> their real registered domain."""
    return {line.split(".", 1)[0]: line for line in n.data_lines("known_brands.txt")}


def _clip(text: str, start: int, end: int) -> str:
    return " ".join(text[max(0, start):min(len(text), end)].split())[:120]


def _visible(text: str) -> str:
    """``text`` without invisible characters (zero-width spaces, joiners, bidi marks, tags and
    variation selectors, which render as nothing after a letter)."""
    return "".join(c for c in text if unicodedata.category(c) != "Cf" and not _selector(c)) \
        if not text.isascii() else text


def _selector(c: str) -> bool:
    return "\ufe00" <= c <= "\ufe0f" or "\U000e0100" <= c <= "\U000e01ef"


# A Latin letter, invisible characters, a letter: "Mi\u200bcro\u200bsoft". Written to slip a
# word past filters; a soft hyphen (hyphenation) and joiners between other scripts' letters
# (Persian, Indic) are how those are written, and are not counted.
_INVISIBLE = "\u200b-\u200d\u2060-\u2064\ufeff\ufe00-\ufe0f\U000e0000-\U000e007f\U000e0100-\U000e01ef"
_SPLIT_WORD = re.compile(f"[A-Za-z][{_INVISIBLE}]+(?=[A-Za-z])")
_WORD_AROUND = re.compile(f"[A-Za-z{_INVISIBLE}]*")


def _normalise(text: str) -> str:
    text = _visible(cut_long_words(text))
    return " ".join(unicodedata.normalize("NFKC", text).split())


def lookalike(domain: str) -> str | None:
    """Return the well-known domain that ``domain`` imitates, or None.

    A typosquat of it (dnstwist's permutations, see :mod:`prospect.vetting.twist`), or its
    name as a part of another domain ("maersk-line-docs.com", "dhl.secure-track.net").
    """
    domain = domain.lower()
    brands = _brands()
    real = twist.imitates(domain, brands.values())
    if real:
        return real
    registered = n.registered_domain(domain)
    reg = registered or domain
    label = reg.partition(".")[0]
    parts = re.split(r"[-.]", domain)
    for brand, real in brands.items():
        # The firm's name under another suffix (amazon.co.uk, ikea.de) is its own country
        # site; with no public suffix at all ("user@microsoft") it is a forged address.
        own_site = registered is not None and label == brand
        if reg != real and not own_site and (brand in parts or (
                len(brand) >= 5 and any(p.startswith(brand) for p in parts))):
            return real
    return None


# Letters of other alphabets that pass for Latin ones (Cyrillic "а е о р с", Armenian "օ ս",
# Cherokee, the Greek capitals and "ο α ε ι κ ν ρ τ υ"), beside a Latin letter in one word.
_LOOKALIKE = "\u0400-\u04ff\u0531-\u058f\u13a0-\u13f5οαεικνρτυΑΒΕΖΗΙΚΜΝΟΡΤΥΧ"
_MIXED_WORD = re.compile(rf"\w*(?:[A-Za-z][{_LOOKALIKE}]|[{_LOOKALIKE}][A-Za-z])\w*")
_LATIN = re.compile("[A-Za-z]")


def _disguised_words(text: str) -> list[str]:
    """Latin words with look-alike letters of another alphabet in them ("Yօur Ԝallеt").

    Written to slip a word past filters and eyes. A word mostly in the other alphabet is that
    language typed with a slip of the keyboard layout ("пpивет"), not a disguise.
    """
    if text.isascii():
        return []
    return [w for w in dict.fromkeys(m.group(0) for m in _MIXED_WORD.finditer(text))
            if 2 * len(_LATIN.findall(w)) > sum(c.isalpha() for c in w)]


def _structured(text: str, message: Message | None) -> list[Hit]:
    """The red flags of how a message is written and who it says it is from (not its words'
    rules): look-alike letters, shouting, a writer full of himself, a report's shape, the
    sender's domains and the company signed for, and the headers."""
    hits = _style_hits(text)
    words = _WORD.findall(text)
    if len(words) >= 40:
        mine = sum(w.lower() in ("i", "me", "my", "mine", "myself") for w in words)
        rate = 100 * mine / len(words)
        if rate >= FIRST_PERSON_PER_100:
            hits.append(Hit("L73", "story", 0.5, "talks about himself (first person)",
                            f"{rate:.1f} I/me/my per 100 words"))
    report = _report(text, words)
    if report is not None:
        # Weighed in listen_parts, once the red flags it halves are known.
        hits.append(Hit("P4", "genuine", 0.0, _REPORT_TITLE, report))
    hits.extend(_sender_hits(text, message))
    if message and message.headers:
        hits.extend(_header_hits(message))
    return hits


# A word with a capital I between small letters or ending it ("waIIet", "PayPaI").
_CAPITAL_I = re.compile(r"\b[A-Za-z]*[a-z]I+(?:[a-z][A-Za-z]*)?\b")


def _i_for_l(text: str) -> list[str]:
    """Words written with a capital I for an l, which looks the same in most fonts: the word
    with l is written elsewhere in the message, or is a well-known firm's name ("PayPaI").
    "McIntosh" is neither, and stays a name."""
    found = [m.group(0) for m in _CAPITAL_I.finditer(text)]
    if not found:
        return []
    written = {w.lower() for w in _WORD.findall(text)} | set(_brands())
    return [w for w in dict.fromkeys(found) if w.replace("I", "l").lower() in written]


def _style_hits(text: str) -> list[Hit]:
    """Latin words spelt with another alphabet's letters or a capital I for an l; shouting."""
    hits: list[Hit] = []
    disguised = _disguised_words(text)
    if disguised:
        hits.append(Hit("L64h", "phish", 3.0, "Latin words spelt with another alphabet's letters",
                        ", ".join(f"\u201c{w}\u201d" for w in disguised[:3])))
    disguised = _i_for_l(text)
    if disguised:
        hits.append(Hit("L64i", "phish", 3.0, "words spelt with a capital I for an l",
                        ", ".join(f"\u201c{w}\u201d" for w in disguised[:3])))
    letters = [c for c in text if c.isalpha() and c.isascii()]
    if len(letters) >= 40 and sum(c.isupper() for c in letters) / len(letters) >= 0.3:
        hits.append(Hit("L74", "story", 0.5, "shouting", f"{len(letters)} letters, mostly upper case"))
    elif "!!!" in text:
        hits.append(Hit("L74", "story", 0.5, "shouting", "!!!"))
    return hits


def _sender_hits(text: str, message: Message | None) -> list[Hit]:
    """Who the message says it is from, against its domains: an organisation on free mail, a
    look-alike of a well-known firm's domain, a signed company no domain of which is its."""
    hits: list[Hit] = []
    domains = {d.lower() for d in _EMAIL.findall(text)}
    if message and message.from_addr:
        domains.add(message.from_addr.rpartition("@")[2])
    free = sorted(d for d in domains if is_free_mail(d) or is_disposable_mail(d))
    org = _ORG_WORDS.search(text) or (message and _ORG_WORDS.search(message.from_name))
    if free and org:
        hits.append(Hit("L63", "identity", 1.0, "speaks for an organisation from free mail",
                        f"{free[0]} / \u201c{org.group(0)}\u201d"))
    for domain in sorted(domains):
        real = lookalike(domain)
        if real:
            hits.append(Hit("L63l", "identity", 3.0, "look-alike of a well-known firm's domain",
                            f"{domain} imitates {real}"))
            break
    own = sorted(d for d in domains if d not in free)
    # The company a message is signed for sits in its last lines, not in a sentence of the
    # body ("not limited", "Intel Corp. announced"): read the signature block only.
    company = _signed_company(_signature_block(message.body if message else text))
    if company and own and not any(_related(company, d) for d in own):
        hits.append(Hit("L15", "identity", 1.5, "signed company and e-mail domain do not match",
                        f"\u201c{company}\u201d writes from {own[0]}"))
    return hits


def _signature_block(body: str, lines: int = 8) -> str:
    """The last non-empty lines of a message body, where people sign (quoted replies aside)."""
    kept = [line.strip() for line in body.splitlines()
            if line.strip() and not line.lstrip().startswith(">")]
    return "\n".join(line for line in kept[-lines:] if len(line.split()) <= 8)


def _signed_company(text: str) -> str | None:
    """The company a message is signed for: a short line carrying a legal form (Co., Ltd ...)."""
    found = None
    # Each name word starts at a word boundary: without it every letter of a long word was a
    # start, and the nested repeats backtracked through each.
    for m in re.finditer(r"(?:\b[A-Z][\w&'.-]*\s+){1,5}(?:co\.?,?\s*ltd|ltd|limited|inc|llc|gmbh|"
                         r"s\.?a\.?|b\.?v\.?|n\.?v\.?|plc|pvt|corp(?:oration)?)\b\.?", text, re.I):
        found = m.group(0).strip()
    return found


def _related(company: str, domain: str) -> bool:
    """Does the e-mail domain plausibly belong to the company (a shared word or initials)?"""
    label = (n.registered_domain(domain) or domain).split(".", 1)[0].replace("-", "")
    core = n.normalize_name(company).core.split()
    if not core:
        return True
    initials = "".join(w[0] for w in core)
    return any(len(w) >= 3 and (w[:4] in label or label[:4] in w) for w in core) or \
        label.startswith(initials) or initials.startswith(label)


def _header_hits(message: Message) -> list[Hit]:
    hits: list[Hit] = []
    sender = message.from_addr.rpartition("@")[2]
    sender_reg = n.registered_domain(sender) or sender
    other = [a for a in message.reply_to if (n.registered_domain(a.rpartition("@")[2]) or "")
             != sender_reg]
    # A mailing list sets Reply-To to the list itself (RFC 2369, 2919): no red flag there.
    if sender and other and not message.mailing_list:
        hits.append(Hit("L63r", "identity", 2.0, "replies go elsewhere (Reply-To)",
                        f"From {message.from_addr}, Reply-To {other[0]}"))
    shown = _EMAIL.search(message.from_name)
    if shown and shown.group(0).lower() != message.from_addr:
        hits.append(Hit("L63d", "identity", 2.0, "display name shows another address",
                        f"\u201c{message.from_name}\u201d <{message.from_addr}>"))
    # Zero-width and other invisible characters inside a display name ("Micro\u200bsoft
    # account team") hide a brand from filters; no honest mailer writes them.
    hidden = sum(1 for c in message.from_name if unicodedata.category(c) == "Cf" or _selector(c))
    shown_name = _visible(message.from_name)
    if hidden:
        hits.append(Hit("L63i", "identity", 2.0, "invisible characters in the sender's name",
                        f"{hidden} hidden in \u201c{shown_name}\u201d"))
    if sender:
        real = lookalike(sender)
        if real:
            hits.append(Hit("L63l", "identity", 3.0, "look-alike of a well-known firm's domain",
                            f"{sender} imitates {real}"))
        else:
            name = n.fold(shown_name)
            for brand, domain in _brands().items():
                if re.search(rf"\b{re.escape(brand)}\b", name) and \
                        sender_reg != domain:
                    hits.append(Hit("L63n", "identity", 2.0, "a firm's name on an unrelated domain",
                                    f"\u201c{shown_name}\u201d <{message.from_addr}>"))
                    break
    risky = [a for a in message.attachments if _RISKY_EXT.search(a.strip()) or
             _DOUBLE_EXT.search(a.strip())]
    if risky:
        hits.append(Hit("L64", "phish", 3.0, "risky attachment type", ", ".join(risky[:3])))
    return hits


@dataclass(frozen=True)
class ListenParts:
    """A listen score and what it is made of: the rules' points and the model's."""

    rules: float
    model: float  # the model's points: its evidence in log-odds, capped (Model.cap)
    hits: list[Hit]
    contributions: list[tuple[str, float]]  # the model's largest, feature and points
    model_name: str = ""

    @property
    def score(self) -> float:
        """The listen score: rules plus model, one scale (warn at WARN_AT, fail at FAIL_AT)."""
        return round(self.rules + self.model, 2)


def _rule_hits(text: str, message: Message | None, own: tuple[str, ...] = ()) -> list[Hit]:
    norm = _normalise(text)
    low = _lower(norm)
    found: dict[str, Hit] = {}
    pending: list[tuple[Rule, re.Match[str]]] = []
    chinese = _HAN.search(low) is not None
    for rule in rules():
        first: re.Match[str] | None = None
        matched = 0
        for latin, han in rule.patterns:
            m = latin.search(low) if latin is not None else None
            if m is None and han is not None and chinese:
                m = han.search(low)
            if m:
                first = first or m
                matched += 1
                if matched >= rule.at_least:
                    pending.append((rule, first))
                    break
    money = any(rule.group == "money" for rule, _ in pending)
    for rule, m in pending:
        weight = rule.alone if rule.alone is not None and not money else rule.weight
        found[rule.id] = Hit(rule.id, rule.group, weight, rule.title,
                             _clip(norm, m.start() - 20, m.end() + 20))
    split = list(_SPLIT_WORD.finditer(text)) if not text.isascii() else []
    if len(split) >= 3:
        start = split[0].start()
        while start and _WORD_AROUND.fullmatch(text[start - 1]):
            start -= 1
        around = _WORD_AROUND.match(text, start)
        word = _visible(around.group(0)) if around else ""
        found["L64s"] = Hit("L64s", "phish", 3.0, "letters split by invisible characters",
                            f"{len(split)} breaks, as in \u201c{word}\u201d")
    inquiry = _INQUIRY.search(norm)
    if inquiry and "P1" not in found:
        found["L10"] = Hit("L10", "vague", 1.5, "wants to buy but names no product, model or quantity",
                           _clip(norm, inquiry.start() - 20, inquiry.end() + 20))
    if message and own:
        senders = [message.from_addr, *message.reply_to]
        for address in senders:
            real = twist.imitates(address.rpartition("@")[2], own) if "@" in address else None
            if real:
                found["L63o"] = Hit("L63o", "identity", 3.0, "look-alike of your own domain",
                                    f"{address} imitates {real}")
                break
    for hit in _structured(norm, message):
        found.setdefault(hit.rule, hit)  # each rule once (a look-alike seen in text and header)
    flags = [hit for hit in found.values() if hit.weight > 0]
    if len(flags) == 1:
        lone = _lone().get(flags[0].rule)
        if lone is not None:
            found[flags[0].rule] = replace(flags[0], weight=lone)
    return list(found.values())


def listen_parts(text: str, message: Message | None = None, *, model: Model | None = None,
                 log_odds: float | None = None, own: tuple[str, ...] = ()) -> ListenParts:
    """Score a message with the rules and the learned model (``model``: the shipped one if None).

    ``log_odds``: the model's answer when the caller already has it (a cross-validation).
    ``own``: the user's own domains, whose look-alikes are a colleague or the firm impersonated.
    """
    hits = _rule_hits(text, message, own)
    bad = sum(h.weight for h in hits if h.weight > 0)
    good = max(GENUINE_CAP, sum(h.weight for h in hits if h.weight < 0))
    report = next((h for h in hits if h.rule == "P4"), None)
    if report is not None:
        hits.remove(report)
        if bad:
            # Half its red flags, and never a fail on its own: a report asks nothing of you.
            counted = min(bad / 2, max(0.0, FAIL_AT - 0.5 - good))
            hits.append(replace(report, weight=-round(bad - counted, 2)))
            bad = counted
    chosen = model or shipped()
    contributions: list[tuple[str, float]] = []
    if log_odds is None:
        log_odds, contributions = chosen.score(text) if chosen.weights else (0.0, [])
    points = max(-chosen.cap, min(chosen.cap, log_odds))
    if abs(points) >= 0.05:
        words = ", ".join(f"\u2018{f}\u2019 {p:+.2g}" for f, p in contributions[:4])
        hits.append(Hit("M1", "model", round(points, 2), "learned model", words))
    hits.sort(key=lambda h: -h.weight)
    return ListenParts(rules=round(bad + good, 2), model=round(points, 2), hits=hits,
                       contributions=contributions, model_name=chosen.trained_on)


def _report(text: str, words: list[str]) -> str | None:
    """Say how rarely a long message addresses its reader (``words``: its Latin words), if it
    is a report (see SECOND_PERSON_PER_100); None for one that speaks to you, or a short one."""
    if len(words) < REPORT_WORDS:
        return None
    if len(_HAN.findall(text)) > sum(map(len, words)) // 10:
        return None  # Chinese text (with English in it): "you" is 你 / 您 there
    rate = 100 * sum(w.lower() in _YOU for w in words) / len(words)
    return f"{rate:.2f} you/your per 100 words" if rate < SECOND_PERSON_PER_100 else None


def listen(text: str, message: Message | None = None, *, model: Model | None = None
           ) -> tuple[float, list[Hit]]:
    """Score a message's text: (score, hits). Higher means more suspicious."""
    parts = listen_parts(text, message, model=model)
    return parts.score, parts.hits


class ListenCheck(Check):
    """The red flags in the lead's message (skipped when there is no message)."""

    name = "red-flags"
    step = "listen"
    weight = 3.0
    local = True

    @cached_property
    def _model(self) -> Model:
        """The user's model (``prospect learn``), else the shipped one: read once a run."""
        return load(user_model_path(self.config.env))

    @cached_property
    def _own(self) -> tuple[str, ...]:
        """The user's own domains: $PROSPECT_OWN_DOMAINS, else [listen] own_domains."""
        return own_domains(self.config)

    def run(self, subject: Subject) -> Finding:
        """Score the subject's message against the rule catalogue."""
        message = subject.message
        if message is None or not message.text.strip():
            raise CheckSkipped("no message to read", applicable=False)
        parts = listen_parts(message.text, message, model=self._model, own=self._own)
        score, hits = parts.score, parts.hits
        verdict = "fail" if score >= FAIL_AT else "warn" if score >= WARN_AT else "pass"
        money = sorted({h.rule for h in hits if h.group == "money"})
        red = [h for h in hits if h.weight > 0 and h.group != "model"]
        kinds = threats(hits)
        detail = (f"score {score:g} (rules {parts.rules:g}, model {parts.model:+g}): "
                  + (f"looks like {'; '.join(kinds)}; " if kinds else "")
                  + f"{len(red)} red flag{'s' if len(red) != 1 else ''}"
                  + (f" ({', '.join(h.rule for h in red[:6])})" if red else ""))
        return self.finding(verdict, detail, [h.explain() for h in hits], score=score,
                            hard=verdict == "fail" and len(money) >= 2,
                            data={"money_rules": money, "rules": [h.rule for h in hits],
                                  "threats": kinds,
                                  "rules_score": parts.rules, "model_score": parts.model,
                                  "model": parts.model_name,
                                  "model_words": [[f, p] for f, p in parts.contributions]})
