"""Progress of a running sweep: points and runs done and the time left, read from the results files on disk.

Reading the files, not the launcher, sees points end in any process: the basic
launcher's own, a pool's workers, a cluster's nodes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from ijmond_sim.sweep import plan, store
from ijmond_sim.sweep.plan import Plan


def job_files(sweep_dir: Path) -> list[Path]:
    """The results files of a sweep folder's points."""
    return sorted((Path(sweep_dir) / "jobs").rglob(store.FILENAME))


def clock(seconds: float) -> str:
    """``1:02:03`` or ``2:03`` for a duration in seconds."""
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def timing(elapsed: float, done: int, todo: int) -> str:
    """``1:02 elapsed, about 3:04 left`` after ``done`` of ``todo`` runs in ``elapsed`` seconds.

    No estimate before the first run is done or after the last.
    """
    text = f"{clock(elapsed)} elapsed"
    if 0 < done < todo:
        text += f", about {clock(elapsed * (todo - done) / done)} left"
    return text


class Progress:
    """Counts the points of a sweep as they end and reports them every ``interval`` seconds.

    Args:
        sweep_dir: the sweep folder.
        sweep_plan: the sweep's plan.
        interval: seconds between reports while points run.
        say: where a report goes (``print`` by default).
    """

    def __init__(self, sweep_dir: Path, sweep_plan: Plan, interval: float = 10.0,
                 say: Callable[[str], None] = print) -> None:
        self.sweep_dir, self.plan, self.interval, self.say = Path(sweep_dir), sweep_plan, interval, say
        self._seen = {path: path.stat().st_mtime_ns for path in job_files(sweep_dir)}
        self.skipped = self._current_points()
        self.done: dict[str, str] = {}
        self.runs_done = 0
        self._start = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="sweep progress", daemon=True)

    def _current_points(self) -> set[str]:
        """Keys of the points whose current results are already on disk (they are not run again)."""
        keys = set()
        for path in self._seen:
            try:
                body = store.read(path)
                point = self.plan.by_key.get(body.get("key"))
                if point is not None and plan.is_current(body, point):
                    keys.add(point.key)
            except (OSError, store.CorruptResults):
                continue
        return keys

    @property
    def runs_to_do(self) -> int:
        """Runs this invocation has to compute."""
        return sum(p.replications for p in self.plan.points if p.key not in self.skipped)

    def _pending(self) -> list[Path]:
        """The results files to look at: those of the points not yet counted, where the plan puts them.

        One ``stat`` per point still running, not a walk of ``jobs/``, so a look stays cheap in a
        sweep of thousands of points (a plan without folders: every results file in ``jobs/``).
        """
        if not all(point.folder for point in self.plan.points):
            return job_files(self.sweep_dir)
        counted = self.done.keys() | self.skipped
        return [self.sweep_dir / point.folder / store.FILENAME for point in self.plan.points
                if point.key not in counted]

    def update(self) -> None:
        """Count the results files written since the last look."""
        for path in self._pending():
            try:
                mtime = path.stat().st_mtime_ns
                if self._seen.get(path) == mtime:
                    continue
                body = store.read(path)
            except (OSError, store.CorruptResults):
                continue
            self._seen[path] = mtime
            key = body.get("key")
            if key not in self.done and key not in self.skipped:
                self.done[key] = body.get("status", "failed")
                self.runs_done += len(body.get("runs", [])) or body.get("replications", 0)

    def line(self) -> str:
        """One line: jobs and runs done, failures, time elapsed and left."""
        jobs, runs = len(self.plan.points), self.plan.runs
        done_jobs = len(self.done) + len(self.skipped)
        done_runs = self.runs_done + (runs - self.runs_to_do)
        failed = sum(status != "complete" for status in self.done.values())
        text = f"progress: {done_jobs}/{jobs} points, {done_runs:,}/{runs:,} runs done"
        notes = [f"{len(self.skipped)} skipped as complete"] if self.skipped else []
        notes += [f"{failed} failed"] if failed else []  # a failed job is done: it will not run again
        text += f" ({', '.join(notes)})" if notes else ""
        return f"{text}; {timing(time.monotonic() - self._start, self.runs_done, self.runs_to_do)}"

    def start(self) -> Progress:
        """Start reporting in a background thread; return self."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop reporting and report once more."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        self.update()
        self.say(self.line())

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.update()
            self.say(self.line())
