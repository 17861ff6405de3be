"""A pyabc sampler whose particles depend only on the calibration seed, the generation and their number.

pyabc's own samplers reseed every worker from the operating system, so two runs
with the same seed differ and a resumed calibration cannot repeat an unkilled
one. This sampler keeps their evaluation-parallel rule (the first ``n`` accepted
particles in the order of their evaluation number are kept, so fast evaluations
are not favoured) and seeds numpy's global stream, which pyabc's priors,
transitions and :class:`~ijmond_sim.calibration.inference.BandsModel` draw from,
from (seed, generation, evaluation number) before each evaluation. The particles
are then the same whatever runs them: in-process, a local process pool, or a
Dask cluster's executor.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any

import cloudpickle
import numpy as np
from pyabc.sampler import Sampler

Mapper = Callable[..., Iterator[Any]]
"""A map like the built-in one or ``concurrent.futures.Executor.map``: results in the order of the inputs."""

_UNPICKLED: dict[bytes, Callable] = {}


def particle_seed(seed: int, generation: int, number: int) -> np.ndarray:
    """The state that seeds numpy's global stream for evaluation ``number`` of ``generation``."""
    return np.random.SeedSequence(seed, spawn_key=(generation, number)).generate_state(4)


def evaluate(simulate_one: bytes, seed: int, generation: int, number: int) -> tuple[int, Any]:
    """Evaluate one particle (pyabc's ``simulate_one``) in a stream seeded by its number."""
    if simulate_one not in _UNPICKLED:
        _UNPICKLED.clear()
        _UNPICKLED[simulate_one] = cloudpickle.loads(simulate_one)
    state = particle_seed(seed, generation, number)
    np.random.seed(state)  # noqa: NPY002 (pyabc's priors and transitions draw from the global stream)
    random.seed(int(state[0]))
    return number, _UNPICKLED[simulate_one]()


class SeededSampler(Sampler):
    """Evaluates particles through ``map_`` in rounds until ``n`` are accepted, seeded by their number.

    Args:
        seed: the calibration seed.
        map_: the map that runs the evaluations (built-in ``map``, or an executor's ``map``).
        workers: how many evaluations ``map_`` runs at once (a round is never smaller).
        progress: called as ``progress(generation, accepted, n, evaluated, seconds)`` as results come in.
    """

    def __init__(self, seed: int, map_: Mapper = map, workers: int = 1,
                 progress: Callable[[int, int, int, int, float], None] | None = None):
        super().__init__()
        self.seed, self.map_, self.workers, self.progress = seed, map_, workers, progress
        self.evaluated = 0  # every evaluation, those after the n-th accepted included (for run rates)

    def _round(self, n: int, accepted: int, evaluated: int) -> int:
        rate = accepted / evaluated if evaluated else 1.0
        return max(self.workers, int(np.ceil((n - accepted) / max(rate, 0.02))))

    def sample_until_n_accepted(self, n, simulate_one, t, *, max_eval=np.inf, all_accepted=False,
                                ana_vars=None):
        """The first ``n`` accepted particles by evaluation number, and the rejected ones before them."""
        blob = cloudpickle.dumps(simulate_one)
        start, found, accepted = time.perf_counter(), [], 0
        while accepted < n and len(found) < max_eval:
            numbers: Iterable[int] = range(len(found), len(found) + self._round(n, accepted, len(found)))
            for _, particle in self.map_(partial(evaluate, blob, self.seed, t), numbers):
                found.append(particle)
                accepted += particle.accepted
                if self.progress:
                    self.progress(t, min(accepted, n), n, len(found), time.perf_counter() - start)
        self.evaluated += len(found)
        sample, kept, counted = self._create_empty_sample(), 0, 0
        for particle in found:
            if kept == n:
                break
            sample.append(particle)
            kept, counted = kept + particle.accepted, counted + 1
        self.nr_evaluations_ = counted  # the evaluations through the n-th accepted: the same in every run
        sample.ok = kept == n
        return sample
