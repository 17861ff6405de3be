"""How a council weighs an initiative: small pure functions over arrays (report 3.2, 3.4, 4.1, 5.2, 6).

Every array argument is ordered like the participating councils. Values of
costs and benefits are in units of the initiative's total cost.
"""

from __future__ import annotations

import math

import numpy as np


def benefit_shares(interests: np.ndarray, populations: np.ndarray) -> np.ndarray:
    """How an initiative's benefit falls over the councils (5.2).

    A municipality gains in proportion to its residents and to how much the
    opgave matters to it (its interest weight).

    Args:
        interests: each council's interest weight in the opgave, in [0, 1].
        populations: each council's number of residents.

    Returns:
        Shares summing to 1 (equal shares if no council has any interest).
    """
    weight = interests * populations
    total = weight.sum()
    if total <= 0:
        return np.full(len(weight), 1.0 / len(weight))
    return weight / total


def cost_shares(populations: np.ndarray, key: str) -> np.ndarray:
    """The usual cost key: by population, or in equal parts.

    Args:
        populations: each council's number of residents.
        key: ``population`` or ``equal``.

    Returns:
        Shares summing to 1.
    """
    if key == "equal":
        return np.full(len(populations), 1.0 / len(populations))
    return populations / populations.sum()


def expected_utility(
    follow_through: np.ndarray,
    benefit_share: np.ndarray,
    cost_share: np.ndarray,
    population_share: np.ndarray,
    surplus: float,
    sunk_share: float,
    identification: np.ndarray,
) -> np.ndarray:
    """What joining an initiative is worth to each council, per head of its population.

    With probability ``follow_through`` the partners carry the initiative to the
    end and the council nets ``surplus * benefit_share - cost_share``; otherwise
    the initiative strands and the council loses the ``sunk_share`` of its cost
    share that it has already spent (3.4: trust shapes expectations). Its own
    municipality's net gain (local interest) and the region's net gain are
    mixed by the council's regional identification (3.2: when the two clash,
    the local side usually wins, i.e. identification is below one half).

    Args:
        follow_through: each council's expectation that its partners follow through, [0, 1].
        benefit_share: each council's share of the benefit.
        cost_share: each council's share of the cost.
        population_share: each council's share of the participants' population.
        surplus: total benefit per unit of total cost.
        sunk_share: share of the cost lost when the initiative strands.
        identification: each council's regional identification, [0, 1].

    Returns:
        Utility per council; positive means worth joining.
    """
    p = follow_through
    local = (p * (surplus * benefit_share - cost_share) - (1 - p) * sunk_share * cost_share)
    local = local / population_share
    regional = p * (surplus - 1.0) - (1 - p) * sunk_share
    return (1 - identification) * local + identification * regional


def supports(
    utility: np.ndarray, conservatism: np.ndarray, noise: float, mood: np.ndarray
) -> np.ndarray:
    """Whether each council votes for (or stays in) an initiative (a probit choice).

    ``noise * mood`` stands for everything local politics adds that the model
    does not represent (3.4: local results count for local voters);
    ``conservatism`` is a council's preference for what exists (5.1: Uitgeest
    "calm and conservative").

    Args:
        utility: what the initiative is worth to each council.
        conservatism: each council's status-quo bias, in utility units.
        noise: scale of the political mood, > 0.
        mood: each council's political mood on this initiative, standard normal.

    Returns:
        One bool per council.
    """
    return utility + noise * mood > conservatism


def weighed_expectation(follow_through: np.ndarray, anchor: float, trust_weight: float) -> np.ndarray:
    """How far a council's expectation of its partners follows its trust in them now (3.4, 5.3).

    "Trust shapes expectations": with ``trust_weight`` 1 a council expects what its
    current trust says; with 0 its expectation stays at ``anchor`` (the region's
    initial trust) whatever happens, which switches the link off for a knockout.

    Args:
        follow_through: each council's mean trust in its partners, [0, 1].
        anchor: the expectation that does not learn, [0, 1].
        trust_weight: the weight of current trust, [0, 1].

    Returns:
        ``trust_weight * follow_through + (1 - trust_weight) * anchor`` per council.
    """
    return trust_weight * follow_through + (1.0 - trust_weight) * anchor


def holdback_risk(follow_through: np.ndarray, holdback: float) -> np.ndarray:
    """Monthly chance that each council holds back its part of a voluntary initiative (3.4, threat 1).

    "Cooperation is non-committal, parties are not fully committed, so initiatives
    can strand midway": a council that expects its partners not to follow through
    does not put its own capacity in either. The chance falls linearly from
    ``holdback`` at no trust in the partners to 0 at full trust.

    Args:
        follow_through: each council's expectation that its partners follow through, [0, 1].
        holdback: the chance per month at no trust, [0, 1].

    Returns:
        One chance per council.
    """
    return holdback * (1.0 - follow_through)


def renewed_mood(mood: np.ndarray, persistence: float, shock: np.ndarray) -> np.ndarray:
    """Political mood a budget year later: it carries over by ``persistence`` (an AR(1) step).

    Args:
        mood: the current moods, standard normal.
        persistence: correlation with last year's mood, [0, 1].
        shock: fresh standard normal draws, same shape.

    Returns:
        New moods, still standard normal.
    """
    return persistence * mood + math.sqrt(1.0 - persistence**2) * shock


def mediated_cost_shares(
    cost_share: np.ndarray,
    benefit_share: np.ndarray,
    gains_gap: np.ndarray,
    mediation: float,
    package_deal: float,
) -> np.ndarray:
    """Cost shares after mediation ("gunnen", package deals: report 4.1, 4.2).

    Each cost share moves a fraction ``mediation`` towards the council's benefit
    share, then a fraction ``package_deal`` of its gains gap (fair share of past
    gains minus realised share) is taken off, so a council that gained less on
    earlier opgaven pays less now.

    Args:
        cost_share: the opgave's cost key.
        benefit_share: how the benefit falls.
        gains_gap: fair minus realised share of past gains, per council.
        mediation: in [0, 1].
        package_deal: in [0, 1].

    Returns:
        Non-negative shares summing to 1.
    """
    shares = (1 - mediation) * cost_share + mediation * benefit_share
    shares = np.clip(shares - package_deal * gains_gap, 0.0, None)
    total = shares.sum()
    return shares / total if total > 0 else cost_share


def gains_gap(realised: np.ndarray, population_share: np.ndarray) -> np.ndarray:
    """Fair (population) share of the gains realised so far minus each council's realised share.

    Args:
        realised: each council's realised net benefit so far.
        population_share: each council's share of the population.

    Returns:
        Positive where a council has gained less than its share; zeros before any gain.
    """
    gained = np.clip(realised, 0.0, None)
    total = gained.sum()
    if total <= 0:
        return np.zeros_like(population_share)
    return population_share - gained / total


def weighted_majority(support: np.ndarray, weights: np.ndarray, quota: float) -> bool:
    """Whether the weight of the 'yes' votes reaches ``quota`` of all weight.

    Args:
        support: one bool per voter.
        weights: one non-negative weight per voter.
        quota: the share of the total weight needed, in (0.5, 1].

    Returns:
        True if the vote carries.
    """
    total = weights.sum()
    return bool(weights[support].sum() >= quota * total - 1e-12 * total)


def regional_stake(interests: np.ndarray, statutory: np.ndarray) -> np.ndarray:
    """How much the region's voluntary opgaven matter to each council: its mean interest weight in them.

    "What binds the IJmond councils are the shared opgaven" (6); statutory tasks
    do not count, because a council keeps them whether it stays or not (3.2, 5.2).

    Args:
        interests: ``(councils, opgaven)`` interest weights, [0, 1].
        statutory: per opgave, whether it is a statutory execution task.

    Returns:
        One stake per council in [0, 1] (0 if the region has no voluntary opgave).
    """
    voluntary = interests[:, ~statutory]
    if voluntary.shape[1] == 0:
        return np.zeros(len(interests))
    return voluntary.mean(axis=1)


def region_appeal(identification: np.ndarray, trust: np.ndarray, track_record: np.ndarray,
                  stake: np.ndarray, delivered_stake: float = 0.0) -> np.ndarray:
    """How attractive regional cooperation looks to each council (5.1, 6).

    Four reasons to stay count equally, one for each of the report's
    perspectives that the model represents (5): identity (regional
    identification, 5.1), relations (mean trust in the partners, 5.3), results
    (the track record, 5.5) and interests (the stake in the shared opgaven, 5.2, 6).
    An interest binds a council only as far as the region delivers on it ("we put
    in a lot and get too little back", 5.2): with ``delivered_stake`` 1 the stake
    counts in proportion to the track record, with 0 in full.

    Args:
        identification: regional identification, [0, 1].
        trust: mean trust in the partners still in the region, [0, 1].
        track_record: share of ended joint initiatives that were completed, counting
            only strandings that others caused, [0, 1].
        stake: mean interest weight in the voluntary opgaven, [0, 1].
        delivered_stake: how far the stake counts only as delivered, [0, 1].

    Returns:
        Appeal in [0, 1].
    """
    interests = stake * (1.0 - delivered_stake + delivered_stake * track_record)
    return (identification + trust + track_record + interests) / 4


def turns_away(appeal: np.ndarray, outside_option: np.ndarray, exit_cost: float) -> np.ndarray:
    """Whether a council turns away from the region to its outside option (5.1, 6).

    Args:
        appeal: the region's appeal to each council.
        outside_option: the attractiveness of each council's alternative, [0, 1].
        exit_cost: what leaving costs under the governance rule (0 where cooperation is
            non-committal: optional cooperation and mayoral coordination).

    Returns:
        One bool per council.
    """
    return outside_option > appeal + exit_cost
