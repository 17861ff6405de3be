"""An ad-hoc sweep (keys swept on the command line, no ``experiment=``): its own axes, name and folder.

Without this, ``ijmond-sweep decision.noise=0.05,0.3`` would keep the default
experiment's axes (66 points instead of 2) and write into its folder.
"""

from __future__ import annotations

from collections.abc import Sequence

from hydra.core.override_parser.overrides_parser import OverridesParser

NAME = "adhoc"


def own_name_and_folder(argv: Sequence[str]) -> list[str]:
    """The command line, with ``experiment=adhoc`` and ``hydra.sweep.dir=results/adhoc-<keys>`` if ad hoc.

    Args:
        argv: the command-line arguments after the program name.

    Returns:
        ``argv`` unchanged unless a key is swept and no experiment is named; the folder is
        added only if ``hydra.sweep.dir`` is not given.
    """
    overrides = [a for a in argv if "=" in a and not a.startswith("-")]
    try:
        parsed = OverridesParser.create().parse_overrides(overrides)
    except Exception:  # Hydra reports a malformed override itself, with its own message
        return list(argv)
    keys = [o.key_or_group for o in parsed]
    swept = [o.key_or_group for o in parsed
             if o.is_sweep_override() and not o.key_or_group.startswith("hydra")]
    if not swept or "experiment" in keys:
        return list(argv)
    extra = [f"experiment={NAME}"]
    if "hydra.sweep.dir" not in keys:
        extra.append(f"hydra.sweep.dir=results/{NAME}-{'-'.join(swept)}")
    return [*argv, *extra]
