"""What importing the book brings into a process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_the_book_imports_neither_pandas_nor_numpy_and_leaves_them_importable(
        tmp_path: Path) -> None:
    # sqlite-utils imports both wherever they are installed; in a prospect command they cost
    # a third of a second and tens of MB for nothing. Stand-ins on the path note each import.
    for name in ("pandas", "numpy"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text(
            "import os\n"
            "with open(os.environ['IMPORTED'], 'a') as f:\n"
            "    f.write(__name__ + '\\n')\n"
            "class Timestamp: ...\n", "utf-8")
    imported = tmp_path / "imported.txt"
    imported.write_text("", "utf-8")
    env = {**os.environ, "IMPORTED": str(imported),
           "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}
    # The web view's plugin too (Datasette may load it before anything else of prospect),
    # where Datasette itself may import numpy (its units library does).
    for first, before in (("prospect.storage", []), ("prospect.web.plugin", ["numpy"])):
        imported.write_text("", "utf-8")
        code = (f"import os, {first}, sqlite_utils\n"
                "open(os.environ['IMPORTED'], 'a').write('program\\n')\n"
                "import pandas\n")
        subprocess.run([sys.executable, "-c", code], env=env, check=True)
        lines = imported.read_text("utf-8").split()
        assert lines[-2:] == ["program", "pandas"] and set(lines[:-2]) <= set(before), first
