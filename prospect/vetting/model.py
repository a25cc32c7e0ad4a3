"""A linear text model for listen (闻): weights learned from labelled mail, every score explained.

The features are what a message says and asks, not how its corpus happened to be stored:

* lower-cased words and pairs of words ("verify your", "next of kin");
* pairs of Chinese characters (no dictionary: 冒充 and 刷单 are pairs already);
* one token for any link, e-mail address, phone number or sum of money, so that no single
  address (a honeypot's ``phishing@pot``), domain or number is learned;
* nothing from placeholders (``XXX``), quoted-printable residue (``=20``) or dates.

A feature counts once however often it appears, and the sum is divided by the square root of
the number of features, so a long letter does not score by its length. The score is the
model's log-odds that the message is a scam: 0 is undecided, +2 is nine to one.

Weights are a small JSON file (:data:`SHIPPED`, or one a user trains on their own mail with
``prospect learn``); no model is fetched at run time. The file names what it was trained on.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from prospect.errors import ProspectError

__all__ = ["DEFAULT_CAP", "FORMAT", "SHIPPED", "Model", "features", "load", "shipped", "train",
           "user_model_path"]

FORMAT = "prospect-listen-model/1"
# A model's score moves the listen score by at most this much either way (warn is at 2, fail
# at 4): it can tip a message, not outvote every rule. A model file may set less ("cap").
DEFAULT_CAP = 3.0
SHIPPED = "listen_model.json"

_INVISIBLE = {"Cc", "Co", "Cn"}
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|info|biz|io|co|"
                  r"cn|ru|de|uk|us|xyz|top|cc|tk|ly)(?:/\S*)?\b", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*")
_MONEY = re.compile(r"(?:[$€£¥]|\b(?:usd|eur|gbp|rmb|cny)\b)\s?\d[\d,.\s]*(?:\s?(?:million|m|k|"
                    r"billion|thousand))?|\d[\d,.]*\s?(?:million|billion)\s?(?:dollars|usd|euros?|"
                    r"pounds)?|\d[\d,.]*\s?(?:万|亿)?\s?(?:元|块)", re.I)
_PHONE = re.compile(r"\+?\d[\d\s().-]{7,}\d")
_NUMBER = re.compile(r"\d+")
_PLACEHOLDER = re.compile(r"x{3,}|\*{3,}|=[0-9a-f]{2}", re.I)
_WORD = re.compile(r"[a-z][a-z']*[a-z]|[a-z]|\u0000\w+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_TOKENS = (("\u0000url", _URL, "."), ("\u0000email", _EMAIL, "@"), ("\u0000money", _MONEY, ""),
           ("\u0000phone", _PHONE, ""))


@cache
def _invisible() -> dict[int, str | None]:
    """str.translate's table: zero-width and bidi marks go (they hide words from filters);
    control, private-use and unassigned characters separate words."""
    table: dict[int, str | None] = {}
    for code in (*range(0x30000), *range(0xE0000, 0xE1000)):  # text planes, and tags
        kind = unicodedata.category(chr(code))
        if kind == "Cf":
            table[code] = None
        elif kind in _INVISIBLE and chr(code) not in "\n\t":
            table[code] = " "
    return table


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_invisible())
    text = _PLACEHOLDER.sub(" ", text.lower())
    for token, pattern, needs in _TOKENS:
        if needs in text:  # a cheap look before the costly pattern
            text = pattern.sub(f" {token} ", text)
    return _NUMBER.sub(" ", text)


def features(text: str) -> set[str]:
    """The message's features: words, word pairs, Chinese character pairs, link/money tokens."""
    text = _clean(text[:20_000])
    out: set[str] = set()
    words = [w.replace("\u0000", "<") + (">" if w.startswith("\u0000") else "")
             for w in _WORD.findall(text)]
    out.update(words)
    out.update(f"{a} {b}" for a, b in itertools.pairwise(words))
    for run in _CJK.findall(text):
        if len(run) == 1:
            out.add(run)
        out.update(run[i:i + 2] for i in range(len(run) - 1))
    return out


@dataclass(frozen=True)
class Model:
    """Weights by feature, a bias, and what they were learned from."""

    weights: Mapping[str, float]
    bias: float = 0.0
    trained_on: str = ""
    sources: Sequence[str] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)

    def score(self, text: str, top: int = 6) -> tuple[float, list[tuple[str, float]]]:
        """The evidence ``text`` gives, in log-odds, and its largest contributions (feature, points).

        The intercept is left out: it is the training mail's mix of scams, not something this
        message says, so a message in words the model never saw (another language) scores 0.
        The total is capped at +-``cap`` (a model learned from little mail may say little).
        """
        found = features(text)
        if not found:
            return 0.0, []
        scale = 1.0 / math.sqrt(len(found))
        parts = [(f, self.weights[f] * scale) for f in found if f in self.weights]
        total = max(-self.cap, min(self.cap, sum(p for _, p in parts)))
        parts.sort(key=lambda item: -abs(item[1]))
        return total, [(f, round(p, 2)) for f, p in parts[:top]]

    @property
    def cap(self) -> float:
        """The most this model's score may move a listen score either way."""
        return float(self.meta.get("cap", DEFAULT_CAP))

    def to_json(self) -> str:
        """The weights file's text."""
        return json.dumps({"format": FORMAT, "trained_on": self.trained_on,
                           "sources": list(self.sources), "meta": dict(self.meta),
                           "bias": round(self.bias, 4),
                           "weights": {f: round(w, 4) for f, w in sorted(self.weights.items())}},
                          ensure_ascii=False, indent=0)

    @classmethod
    def from_json(cls, text: str, where: str = "") -> Model:
        """Read a weights file (raises ProspectError on one prospect cannot use)."""
        try:
            data = json.loads(text)
            if data.get("format") != FORMAT:
                raise ValueError(f"not a {FORMAT} file")
            weights = {str(k): float(v) for k, v in data["weights"].items()}
            return cls(weights=weights, bias=float(data.get("bias", 0.0)),
                       trained_on=str(data.get("trained_on", "")),
                       sources=tuple(str(s) for s in data.get("sources", ())),
                       meta=dict(data.get("meta", {})))
        except (ValueError, KeyError, TypeError, AttributeError) as ex:
            raise ProspectError(f"cannot use the listen model {where}: {ex}") from ex


@cache
def shipped() -> Model:
    """The model that ships with prospect (see its ``trained_on`` and ``sources``)."""
    text = resources.files("prospect.data").joinpath(SHIPPED).read_text("utf-8")
    return Model.from_json(text, SHIPPED)


def user_model_path(env: Mapping[str, str]) -> Path:
    """Where ``prospect learn`` keeps the user's model: $PROSPECT_LISTEN_MODEL, else user data."""
    if env.get("PROSPECT_LISTEN_MODEL"):
        return Path(env["PROSPECT_LISTEN_MODEL"]).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("prospect")) / "listen-model.json"


def load(path: Path | None) -> Model:
    """The model at ``path`` (one the user trained), else the shipped one."""
    if path is None or not path.exists():
        return shipped()
    try:
        stat = path.stat()
    except OSError as ex:
        raise ProspectError(f"cannot read the listen model {path}: {ex.strerror}") from ex
    return _load(path, stat.st_mtime_ns, stat.st_size)


@cache
def _load(path: Path, mtime: int, size: int) -> Model:  # cached until the file changes
    try:
        return Model.from_json(path.read_text("utf-8"), str(path))
    except (OSError, UnicodeDecodeError) as ex:
        raise ProspectError(f"cannot read the listen model {path}: {ex}") from ex


def _fit(rows: Sequence[tuple[set[str], bool]], c: float, min_count: int
         ) -> tuple[dict[str, float], float]:
    """Weights and intercept of an L2-regularised logistic regression (scikit-learn)."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts: dict[str, int] = {}
    for found, _ in rows:
        for f in found:
            counts[f] = counts.get(f, 0) + 1
    vocab = {f: i for i, f in enumerate(sorted(f for f, k in counts.items() if k >= min_count))}
    indptr, indices, values = [0], [], []
    for found, _ in rows:
        scale = 1.0 / math.sqrt(len(found)) if found else 0.0
        kept = sorted(vocab[f] for f in found if f in vocab)
        indices.extend(kept)
        values.extend([scale] * len(kept))
        indptr.append(len(indices))
    x = csr_matrix((values, indices, indptr), shape=(len(rows), len(vocab)))
    fit = LogisticRegression(C=c, class_weight="balanced", solver="liblinear", max_iter=1000)
    fit.fit(x, [int(label) for _, label in rows])
    names = sorted(vocab, key=vocab.__getitem__)
    return ({f: float(w) for f, w in zip(names, fit.coef_[0], strict=True) if abs(w) >= 0.01},
            float(fit.intercept_[0]))


def train(examples: Iterable[tuple[str, bool]], *, trained_on: str, sources: Sequence[str] = (),
          c: float = 1.0, min_count: int = 2, cap: float = DEFAULT_CAP) -> Model:
    """Fit the model on (text, is_scam) pairs (needs scikit-learn).

    Features seen in fewer than ``min_count`` messages are left out (a word one message used
    says nothing general); the classes are weighted to count equally, whatever their sizes.
    """
    try:
        import sklearn  # noqa: F401
    except ImportError:
        raise ProspectError("training the listen model needs scikit-learn; install it with: "
                            "pip install 'prospect-leads[train]'") from None
    rows = [(features(text), bool(label)) for text, label in examples]
    if {label for _, label in rows} != {True, False}:
        raise ProspectError("training needs both scam and legitimate messages")
    weights, bias = _fit(rows, c, min_count)
    scams = sum(label for _, label in rows)
    return Model(weights=weights, bias=bias, trained_on=trained_on, sources=tuple(sources),
                 meta={"messages": len(rows), "scam": scams, "legit": len(rows) - scams,
                       "c": c, "min_count": min_count, "cap": cap})
