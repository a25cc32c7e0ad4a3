"""The CLI's one seam to the world: its consoles, its config and how it reaches the network.

Commands print through :data:`out` and :data:`err` and get their config and HTTP client from
:data:`current`; a test (or an embedding program) replaces ``current`` with an :class:`Env`
of its own (a recording console, an injected transport) and every command follows.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from rich.console import Console

if TYPE_CHECKING:
    from prospect.config import Config
    from prospect.http import Http

__all__ = ["Env", "current", "err", "out"]


def _console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, no_color=bool(os.environ.get("NO_COLOR")) or None,
                   soft_wrap=True)


def _config() -> Config:
    from prospect.config import load_config

    return load_config()


def _http(**options: Any) -> Http:
    from prospect.http import make_http

    return make_http(**options)


@dataclass
class Env:
    """What a command reaches outside itself: two consoles, the config, an HTTP client."""

    # Data goes to stdout, messages and progress to stderr, so `prospect export > f.csv` is clean.
    out: Console = field(default_factory=_console)
    err: Console = field(default_factory=lambda: _console(stderr=True))
    config: Callable[[], Config] = _config
    http: Callable[..., Http] = _http


current = Env()


class _Follow:
    """A console that is always the current Env's (``out`` or ``err``)."""

    def __init__(self, which: str) -> None:
        self._which = which

    def __getattr__(self, name: str) -> Any:
        return getattr(getattr(current, self._which), name)


out = cast(Console, _Follow("out"))
err = cast(Console, _Follow("err"))
