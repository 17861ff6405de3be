"""A sweep's figures drawn by a process of their own, so that ``ijmond-sweep`` ends when its tables are in.

The engine starts the process (:class:`FigureProcess`) when the runs start; it
imports next to nothing and waits. Once the tables are in place the engine
tells it to draw: it takes the folder's tables lock (the file that
:func:`ijmond_sim.sweep.folder.tables_lock` locks), says so, and only then does
the command end, while the process loads the drawing code, draws the figures
from the results files and puts them in place
(:func:`ijmond_sim.sweep.tables.draw_figures`). Whoever aggregates the folder
next (``ijmond-aggregate``, a resumed sweep) waits for that lock, so nobody sees
figures half drawn. A sweep that stops before its tables are written closes
the pipe, and the process ends without drawing. A failure while drawing is
written to ``figures.log`` in the sweep folder.

Run as ``python -m ijmond_sim.sweep.drawer <sweep folder> <lock file> <seconds to wait for it>``
by :class:`FigureProcess` only.
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
        lock: the file of the folder's tables lock.
        wait_seconds: how long the process waits for that lock before it gives up (and logs it).
    """

    def __init__(self, sweep_dir: Path, lock: Path, wait_seconds: float) -> None:
        self.sweep_dir = Path(sweep_dir)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ijmond_sim.sweep.drawer", str(self.sweep_dir), str(lock),
             str(wait_seconds)],
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


def main(argv: list[str] | None = None) -> int:
    """The process: wait for the word, take the lock, say so, draw (exit status 1 if that failed)."""
    folder, lock_file, wait = argv if argv is not None else sys.argv[1:]
    sweep_dir = Path(folder)
    if sys.stdin.readline().strip() != DRAW:
        return 0
    from filelock import FileLock  # what the tables lock is made with (ijmond_sim.sweep.folder)

    try:
        with FileLock(lock_file, timeout=float(wait)):
            print(LOCKED, flush=True)
            sys.stdout.close()
            from ijmond_sim.sweep import tables

            tables.draw_figures(sweep_dir, held=True)
    except Exception:
        (sweep_dir / LOG).write_text(traceback.format_exc())
        return 1
    (sweep_dir / LOG).unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
