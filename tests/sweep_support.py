"""A sweep's runs table made up for tests of the aggregation, with every column it reads."""

import pandas as pd

from ijmond_sim.run.measures import names_cell


def fake_runs(rates: dict[tuple[str, float], list[float]], leaver: str = "Uitgeest") -> pd.DataFrame:
    """A tidy runs table with every column the aggregation reads: the first replication of each point
    has ``leaver`` turned away, the rest nobody."""
    rows = []
    for (rule, level), values in rates.items():
        for r, rate in enumerate(values):
            rows.append({"governance": rule, "trust.initial": level, "replication": r, "seed": r,
                         "started": 10, "completed": round(10 * rate), "stranded": 10 - round(10 * rate),
                         "completion_rate": rate, "median_months_to_completion": 30.0 + r,
                         "completion_rate_ended": rate, "completion_rate_statutory": 1.0,
                         "completion_rate_statutory_ended": 1.0, "completion_rate_voluntary": rate,
                         "completion_rate_voluntary_ended": rate, "opgaven_progressed_per_year": 1.0 + r,
                         "mean_trust_end": level, "mean_trust_end_in_region": level + 0.1 * (r > 0),
                         "turned_away": names_cell([leaver] if r == 0 else [])})
    return pd.DataFrame(rows)
