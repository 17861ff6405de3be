"""Directed trust between councils and how it learns: pure functions on a trust matrix (3.4, 5.3).

``trust[i, j]`` is council i's trust in council j, in [0, 1]. Trust "comes on
foot and leaves on horseback" (5.3): it rises by ``gain`` times the distance to
full trust after a joint success, and falls by ``gain * fall_ratio`` times its
level when a partner withdraws, holds back, blocks or overrules. A success with
a partner who let a council down before counts for less ("stalled or stopped
trajectories confirm the distrust", 3.4: :func:`remembered_gain`). Every update
returns a new matrix.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import networkx as nx
import numpy as np


def initial_trust(n: int, level: float, bias: np.ndarray | None = None) -> np.ndarray:
    """Trust matrix with ``level`` everywhere off the diagonal, plus known biases, clipped to [0, 1].

    Args:
        n: number of councils.
        level: the region's initial trust.
        bias: optional ``(n, n)`` additive deviations.

    Returns:
        ``(n, n)`` matrix with ones on the diagonal (a council trusts itself).
    """
    trust = np.full((n, n), float(level))
    if bias is not None:
        trust = trust + bias
    trust = np.clip(trust, 0.0, 1.0)
    np.fill_diagonal(trust, 1.0)
    return trust


def expected_follow_through(trust: np.ndarray, participants: np.ndarray) -> np.ndarray:
    """Each participant's expectation that its partners follow through: its mean trust in them.

    Args:
        trust: the full trust matrix.
        participants: indices of the participating councils.

    Returns:
        One value per participant (1.0 for a lone participant).
    """
    if len(participants) < 2:
        return np.ones(len(participants))
    block = trust[_block(participants, participants)]
    return (block.sum(axis=1) - block.diagonal()) / (len(participants) - 1)


def after_success(trust: np.ndarray, participants: np.ndarray, gain: float | np.ndarray) -> np.ndarray:
    """Trust after a joint success: every participant's trust in every other rises a little.

    Args:
        trust: the trust matrix.
        participants: indices of the councils that completed the initiative together.
        gain: fraction of the distance to full trust gained, [0, 1]: one number, or one per
            pair of participants (``(k, k)``, as :func:`remembered_gain` gives).

    Returns:
        The new trust matrix.
    """
    new = trust.copy()
    idx = _block(participants, participants)
    new[idx] = trust[idx] + gain * (1.0 - trust[idx])
    np.fill_diagonal(new, 1.0)
    return new


def after_let_down(
    trust: np.ndarray, witnesses: np.ndarray, offenders: np.ndarray, fall: np.ndarray
) -> np.ndarray:
    """Trust after the witnesses were let down by the offenders (withdrawal, block or overruling).

    Args:
        trust: the trust matrix.
        witnesses: indices of the councils whose trust falls.
        offenders: indices of the councils they trust less.
        fall: per witness, the fraction of its trust lost (clipped to [0, 1]).

    Returns:
        The new trust matrix.
    """
    new = trust.copy()
    if len(witnesses) == 0 or len(offenders) == 0:
        return new
    idx = _block(witnesses, offenders)
    factor = 1.0 - np.clip(np.asarray(fall, dtype=float), 0.0, 1.0)
    new[idx] = trust[idx] * factor.reshape(-1, 1)
    np.fill_diagonal(new, 1.0)
    return new


def partner_record(completed: np.ndarray, let_down: np.ndarray) -> np.ndarray:
    """Each council's record of each partner: how often their joint trajectories ended well (3.4).

    Args:
        completed: ``completed[i, j]``, initiatives i and j completed together.
        let_down: ``let_down[i, j]``, times j let i down (stranded, withdrew, held back or overruled it).

    Returns:
        ``(completed + 1) / (completed + let_down + 2)``: 1/2 without any history.
    """
    return (completed + 1.0) / (completed + let_down + 2.0)


def remembered_gain(gain: float, record: np.ndarray, memory: float) -> np.ndarray:
    """Trust gained from a joint success, as far as the partner's record lets it count (3.4).

    "Stalled or stopped trajectories confirm the distrust": a success with a partner
    who let a council down before counts for less, one with a partner with a good
    record for more. ``memory`` 0 gives every success the same ``gain``.

    Args:
        gain: the trust gain of a success without history, [0, 1].
        record: each council's record of each partner (:func:`partner_record`), in (0, 1).
        memory: how far the record scales the gain, [0, 1].

    Returns:
        ``gain * (1 + memory * (2 * record - 1))`` per pair, between ``gain * (1 - memory)``
        and ``gain * (1 + memory)``.
    """
    return gain * (1.0 + memory * (2.0 * record - 1.0))


def trust_lost(gain: float, fall_ratio: float, damping: float, sensitivity: np.ndarray) -> np.ndarray:
    """The fraction of its trust each witness loses when let down: fast, by its conflict style and the rule.

    Args:
        gain: the rise of trust after a joint success (``trust.gain``).
        fall_ratio: how many times faster trust falls than it rises (``trust.fall_ratio``).
        damping: the governance rule's factor on trust lost in conflict (1 = none).
        sensitivity: each witness's conflict sensitivity.

    Returns:
        ``gain * fall_ratio * damping * sensitivity``, one value per witness (not yet clipped).
    """
    return gain * fall_ratio * damping * sensitivity


def overrule_fear(populations: np.ndarray, fear: float) -> np.ndarray:
    """How much being overruled hurts each council: most for the smallest (4.2).

    Args:
        populations: residents per council.
        fear: extra weight for the smallest, >= 0.

    Returns:
        ``1 + fear * (1 - population / largest population)`` per council.
    """
    return 1.0 + fear * (1.0 - populations / populations.max())


def mean_trust(trust: np.ndarray, members: np.ndarray | None = None) -> float:
    """Mean off-diagonal trust among ``members`` (all councils if None)."""
    if members is not None:
        trust = trust[_block(members, members)]
    n = len(trust)
    if n < 2:
        return float("nan")
    return float((trust.sum() - trust.trace()) / (n * (n - 1)))


def given_and_received(trust: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each council's mean trust in the others (trust given) and the others' mean trust in it (received).

    Both in one pass over the matrix: trust given is a council's row without
    the diagonal, trust received its column without the diagonal.

    Args:
        trust: the ``(n, n)`` trust matrix, n >= 2.

    Returns:
        Trust given and trust received, one value per council each.
    """
    n = len(trust)
    means = trust.take(_off_diagonal(n)).sum(axis=1) / (n - 1)
    return means[:n], means[n:]


@functools.cache
def _off_diagonal(n: int) -> np.ndarray:
    """Flat indices into an ``(n, n)`` matrix: each row without its diagonal entry, then each column."""
    flat = np.arange(n * n).reshape(n, n)
    off = ~np.eye(n, dtype=bool)
    return np.concatenate([flat[off].reshape(n, n - 1), flat.T[off].reshape(n, n - 1)])


def _block(rows: np.ndarray, columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of the sub-matrix ``rows x columns`` (what ``np.ix_`` gives, at a fraction of its cost)."""
    return np.asarray(rows, dtype=np.intp)[:, None], np.asarray(columns, dtype=np.intp)


def trust_graph(trust: np.ndarray, names: Sequence[str]) -> nx.DiGraph:
    """The trust matrix as a directed graph; edge ``i -> j`` has attribute ``trust``."""
    graph = nx.DiGraph()
    graph.add_nodes_from(names)
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            if i != j:
                graph.add_edge(a, b, trust=float(trust[i, j]))
    return graph
