"""``prospect serve`` from the command line: the extra, the port, the host warning."""

from __future__ import annotations

import socket
import sys
from pathlib import Path
from typing import Any

import pytest
from test_cli import Capture, run


def test_without_the_web_extra_it_says_how_to_install_it(
        web_book: tuple[Path, dict[str, int]], capsys: Capture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path, _ = web_book
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # as if never installed
    code, _, err = run(capsys, "--book", str(path), "serve")
    assert code == 1
    assert err.strip() == ("Error: prospect serve needs the web extra; install it with: "
                           "pip install 'prospect-leads[web]'")


def test_a_port_in_use_is_a_one_line_error(web_book: tuple[Path, dict[str, int]],
                                           capsys: Capture) -> None:
    path, _ = web_book
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, _, err = run(capsys, "--book", str(path), "serve", "--port", str(port))
    assert code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in err and "--port" in err


def test_a_missing_book_is_not_created_by_serve(tmp_path: Path, capsys: Capture) -> None:
    code, _, err = run(capsys, "--book", str(tmp_path / "none.db"), "serve")
    assert code == 3
    assert "no lead book at" in err
    assert not (tmp_path / "none.db").exists()


@pytest.mark.parametrize(("host", "warned"), [("127.0.0.1", False), ("0.0.0.0", True)])
def test_listening_beyond_this_machine_warns_of_personal_data(
        web_book: tuple[Path, dict[str, int]], capsys: Capture,
        monkeypatch: pytest.MonkeyPatch, host: str, warned: bool) -> None:
    import uvicorn

    served: list[Any] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets: served.extend(sockets))
    path, _ = web_book
    code, _, err = run(capsys, "--book", str(path), "serve", "--host", host, "--port", "0")
    assert code == 0
    assert len(served) == 1 and served[0].getsockname()[0] == host
    assert ("warning: listening on 0.0.0.0" in err) is warned
    assert ("the book holds personal data" in err) is warned
    assert f"serving {path} at http://{host}:" in err and "read-only" in err
    served[0].close()
