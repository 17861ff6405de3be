"""A sweep's figures drawn by a process of their own, so that ``ijmond-sweep`` ends when its tables are in.

The engine starts the process (:class:`FigureProcess`) when the runs start: it
imports the drawing code (matplotlib, about a second) on a core the runs leave
free, then waits. Once the tables are in place the engine tells it to draw; it
takes the folder's tables lock (:func:`ijmond_sim.sweep.folder.tables_lock`) and
says so, and only then does the command end, while the process draws the
figures from the results files and puts them in place
(:func:`ijmond_sim.sweep.tables.draw_figures`). Whoever aggregates the folder
next (``ijmond-aggregate``, a resumed sweep) waits for that lock, so nobody
sees figures half drawn. A sweep that stops before its tables are written
closes the pipe and the process ends without drawing. A failure while drawing
is written to ``figures.log`` in the sweep folder.

Run as ``python -m ijmond_sim.sweep.drawer <sweep folder>`` by :class:`FigureProcess` only.
"""

from __future__ import annotations

import subprocess
import sys
import traceback
from pathlib import Path

DRAW, LOCKED = "draw", "locked"  # the engine's word to start, the process's word that it holds the lock
LOG = "figures.log"


class FigureProcess:
    """The process that will draw a sweep's figures, started now and told to draw later.

    Args:
        sweep_dir: the sweep folder.
    """

    def __init__(self, sweep_dir: Path) -> None:
        self.sweep_dir = Path(sweep_dir)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ijmond_sim.sweep.drawer", str(self.sweep_dir)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            start_new_session=True)  # a Ctrl-C meant for the sweep stops the sweep, which closes the pipe

    def draw(self) -> bool:
        """Tell the process to draw; True once it holds the tables lock, False if it has ended instead."""
        assert self.process.stdin is not None and self.process.stdout is not None
        try:
            self.process.stdin.write(DRAW + "\n")
            self.process.stdin.close()
            answer = self.process.stdout.readline().strip()
        except OSError:  # it has ended (a broken pipe)
            answer = ""
        self.process.stdout.close()
        return answer == LOCKED

    def close(self) -> None:
        """End the process without drawing, unless it was told to draw; it ends on the closed pipe."""
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None and not pipe.closed:
                try:
                    pipe.close()
                except OSError:
                    pass


def _locked() -> None:
    print(LOCKED, flush=True)
    sys.stdout.close()


def main(argv: list[str] | None = None) -> int:
    """The process: import the drawing code, wait for the word, then draw (exit status 1 if it failed)."""
    sweep_dir = Path((argv if argv is not None else sys.argv[1:])[0])
    import matplotlib.figure  # noqa: F401 - imported while the runs go on, not when the figures are due

    from ijmond_sim import drawing  # noqa: F401
    from ijmond_sim.sweep import tables

    if sys.stdin.readline().strip() != DRAW:
        return 0
    try:
        tables.draw_figures(sweep_dir, locked=_locked)
    except Exception:
        (sweep_dir / LOG).write_text(traceback.format_exc())
        return 1
    (sweep_dir / LOG).unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
