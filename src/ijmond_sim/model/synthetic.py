"""Synthetic regions of any size, drawn reproducibly from a seed, for scaling studies and benchmarks.

A synthetic region stands for a group of Dutch municipalities larger than
IJmond (a metropolitan region of some 30, or all 342 of the Netherlands). Its
numbers are plausible, not real: every draw comes from one
``numpy.random.Generator`` seeded by the given seed, in a fixed order, so the
same ``(n_councils, seed)`` always gives the same region.

How it is drawn:

- Populations are log-normal, roughly like Dutch municipalities (median
  about 28,000 residents, a long tail to the few big cities), clipped to
  [1,000, 900,000].
- Councils lie at random points in a unit square. Each opgave is regional: it
  belongs to a council and its nearest neighbours (``3 + Poisson(3)`` councils
  in all, at most every council), so interests are sparse and an initiative
  involves a handful of councils, not the whole country. One opgave in six is
  a statutory task (interest 1, surplus 2.5, nothing sunk when it strands,
  like the Milieudienst); the others have interest weights uniform in
  [0.2, 1], a surplus uniform in [1.5, 2.5] and a sunk share of 0.2.
- There are ``ceil(1.5 * n_councils)`` opgaven with 0.5 proposals a year each,
  so proposals per council per year stay at the IJmond level (six opgaven for
  four councils) whatever the size.
- Capacity grows with the logarithm of the population (Uitgeest-sized
  councils near 0.4, Velsen-sized near 0.9); the other council traits are
  drawn in the ranges of the IJmond configuration; trust deviates from the
  initial level by a small normal bias per pair.
"""

from __future__ import annotations

import math

import numpy as np

from ijmond_sim.model.scenario import Region

CONFLICT_STYLES = ("hard against hard", "modest and reactive", "calm and conservative",
                   "self-assured and ambitious")
MEDIAN_POPULATION = 28_000
POPULATION_SIGMA = 1.0
POPULATION_RANGE = (1_000, 900_000)
OPGAVEN_PER_COUNCIL = 1.5
PROPOSALS_PER_YEAR = 0.5
STATUTORY_EVERY = 6
TRUST_BIAS_SD = 0.05


def synthetic_region(n_councils: int, seed: int) -> Region:
    """A synthetic region of ``n_councils`` councils, the same for the same seed.

    Args:
        n_councils: number of councils, >= 2.
        seed: seed of every draw.

    Returns:
        The region, with councils named ``C001``, ``C002``, ... and opgaven ``O001``, ...

    Raises:
        ValueError: if ``n_councils`` is below 2.
    """
    if n_councils < 2:
        raise ValueError(f"n_councils = {n_councils}: a region needs at least two councils")
    rng = np.random.default_rng(seed)
    n = n_councils
    k = math.ceil(OPGAVEN_PER_COUNCIL * n)
    population = np.round(np.clip(
        rng.lognormal(math.log(MEDIAN_POPULATION), POPULATION_SIGMA, n), *POPULATION_RANGE
    ))
    statutory = np.arange(k) % STATUTORY_EVERY == STATUTORY_EVERY - 1
    interests = regional_interests(rng, n, statutory)
    capacity = np.clip(0.4 + 0.7 * np.log10(population / 13_000) + rng.normal(0, 0.05, n), 0.2, 1.0)
    meeting_cycle = np.where(rng.random(n) < 0.25, 3, 2)
    outside = np.where(rng.random(n) < 0.25, rng.uniform(0.0, 0.3, n), 0.0)
    bias = rng.normal(0.0, TRUST_BIAS_SD, (n, n))
    np.fill_diagonal(bias, 0.0)
    return Region(
        name=f"synthetic region of {n} councils (seed {seed})",
        councils=tuple(f"C{i + 1:03d}" for i in range(n)),
        opgaven=tuple(f"O{j + 1:03d}" for j in range(k)),
        opgave_labels=tuple(f"{'statutory' if s else 'regional'} opgave {j + 1}"
                            for j, s in enumerate(statutory)),
        statutory=statutory,
        proposals_per_year=np.full(k, PROPOSALS_PER_YEAR),
        surplus=np.where(statutory, 2.5, rng.uniform(1.5, 2.5, k)),
        sunk_share=np.where(statutory, 0.0, 0.2),
        cost_key=("population",) * k,
        population=population,
        interests=interests,
        capacity=capacity,
        conflict_style=tuple(CONFLICT_STYLES[i] for i in rng.integers(0, len(CONFLICT_STYLES), n)),
        ambition=rng.uniform(0.5, 1.5, n),
        conflict_sensitivity=rng.uniform(0.8, 1.5, n),
        conservatism=rng.uniform(0.0, 0.1, n),
        identification=rng.uniform(0.1, 0.4, n),
        outside_option=outside,
        meeting_cycle=meeting_cycle,
        meeting_offset=rng.integers(0, meeting_cycle),
        trust_bias=bias,
    )


def regional_interests(rng: np.random.Generator, n: int, statutory: np.ndarray) -> np.ndarray:
    """Sparse ``(councils, opgaven)`` interest weights: each opgave is shared by neighbouring councils.

    Args:
        rng: the generator to draw from.
        n: number of councils.
        statutory: per opgave, whether it is a statutory task (weight 1 for its members).

    Returns:
        Weights in [0, 1], zero for councils outside an opgave's neighbourhood.
    """
    k = len(statutory)
    position = rng.random((n, 2))
    distance = np.linalg.norm(position[:, None, :] - position[None, :, :], axis=-1)
    home = rng.integers(0, n, k)
    size = np.minimum(n, 3 + rng.poisson(3.0, k))
    nearest = np.argsort(distance[home], axis=1, kind="stable")
    member = np.arange(n)[None, :] < size[:, None]
    interests = np.zeros((n, k))
    opgave = np.repeat(np.arange(k), size)
    interests[nearest[member], opgave] = np.where(
        statutory[opgave], 1.0, rng.uniform(0.2, 1.0, len(opgave))
    )
    return interests
