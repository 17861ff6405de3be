"""Voting baselines by enumerating coalitions: vote probabilities and Banzhaf power (Banzhaf 1965).

Pure functions over a ``carries(support)`` predicate, so they can be applied to
a governance rule object (``lambda s: rule.carries(s, populations)``) as well as
to a weighted vote written down by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from fractions import Fraction
from itertools import product

import numpy as np

from ijmond_sim.model.decision import weighted_majority

Carries = Callable[[np.ndarray], bool]


def coalitions(n: int) -> Iterator[np.ndarray]:
    """Every one of the ``2**n`` yes/no profiles of ``n`` voters, as bool arrays."""
    for profile in product((False, True), repeat=n):
        yield np.array(profile)


def weighted_vote(weights: Sequence[float], quota: float) -> Carries:
    """The weighted majority game: 'yes' weight at least ``quota`` of all weight carries."""
    w = np.asarray(weights, dtype=float)
    return lambda support: weighted_majority(support, w, quota)


def carry_probability(carries: Carries, n: int) -> Fraction:
    """Exact probability that a vote carries when each of ``n`` voters says yes with probability 1/2."""
    return Fraction(sum(bool(carries(s)) for s in coalitions(n)), 2**n)


def banzhaf_swings(carries: Carries, n: int) -> np.ndarray:
    """For each voter, the number of coalitions of the others in which its vote decides the outcome."""
    swings = np.zeros(n, dtype=int)
    for support in coalitions(n):
        if not carries(support):
            continue
        for i in np.flatnonzero(support):
            without = support.copy()
            without[i] = False
            swings[i] += not carries(without)
    return swings


def banzhaf_index(carries: Carries, n: int) -> np.ndarray:
    """Normalised Banzhaf power: each voter's share of all swings (zeros if no one ever swings)."""
    swings = banzhaf_swings(carries, n)
    total = swings.sum()
    return swings / total if total else np.zeros(n)


def quota_intervals(weights: Sequence[float], low: float = 0.5) -> list[tuple[float, float]]:
    """The quota intervals ``(a, b]`` above ``low`` on which a weighted vote stays the same game.

    A coalition carries when its share of the weight reaches the quota, so the
    game only changes where the quota passes a coalition's share.

    Returns:
        ``(a, b)`` pairs covering ``(low, 1]``; quota ``b`` represents its interval.
    """
    w = np.asarray(weights, dtype=float)
    shares = sorted({float(w[s].sum() / w.sum()) for s in coalitions(len(w))} | {low})
    shares = [s for s in shares if s >= low]
    return list(zip(shares[:-1], shares[1:], strict=True))
