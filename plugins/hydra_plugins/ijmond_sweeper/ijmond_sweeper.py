"""``hydra/sweeper=ijmond``: plans a sweep once, runs its points in batches through the chosen launcher.

Hydra's basic sweeper makes one job per scenario point, and every job is
composed again by the launcher (~0.1 s each). This sweeper hands the sweep
to :func:`ijmond_sim.sweep.engine.sweep`, which composes every point once,
in-process, and launches a few jobs, each running a batch of points, through
whichever launcher ``hydra/launcher`` names (basic, joblib, submitit). The
engine is imported only when a sweep starts, so that other Hydra programs in
the same environment do not pay for it when Hydra scans its plugins.
"""

# No ``from __future__ import annotations``: Hydra runs this module before registering it in
# sys.modules, and a dataclass then cannot resolve its string annotations.
from dataclasses import dataclass
from typing import Any, Optional

from hydra.core.config_store import ConfigStore
from hydra.core.plugins import Plugins
from hydra.plugins.launcher import Launcher
from hydra.plugins.sweeper import Sweeper
from hydra.types import HydraContext, TaskFunction
from omegaconf import MISSING, DictConfig


@dataclass
class IjmondSweeperConf:
    """The sweeper's settings; their values are in ijmond-sim's ``conf/sweep.yaml``.

    Attributes:
        params: the swept keys and their values, as for Hydra's basic sweeper.
        points_per_batch: points per launched job; None: one job per worker of the launcher.
        progress_seconds: seconds between progress reports while the points run.
        parquet: also write the runs table as ``runs.parquet`` (needs pyarrow).
    """

    _target_: str = "hydra_plugins.ijmond_sweeper.ijmond_sweeper.IjmondSweeper"
    params: Optional[dict[str, str]] = None  # noqa: UP045 - OmegaConf reads Optional, not X | None
    points_per_batch: Optional[int] = None  # noqa: UP045
    progress_seconds: float = MISSING
    parquet: bool = MISSING


ConfigStore.instance().store(group="hydra/sweeper", name="ijmond", node=IjmondSweeperConf,
                             provider="ijmond-sim")


class IjmondSweeper(Sweeper):
    """Hands the sweep to ``ijmond_sim.sweep.engine`` with Hydra's config loader and launcher.

    Args:
        params: the swept keys (read by the engine from the config).
        points_per_batch: points per launched job, or None for one batch per worker.
        progress_seconds: seconds between progress reports.
        parquet: also write the runs table as ``runs.parquet``.
    """

    def __init__(self, params: dict[str, str] | None, points_per_batch: int | None,
                 progress_seconds: float, parquet: bool) -> None:
        super().__init__()
        self.points_per_batch, self.progress_seconds = points_per_batch, progress_seconds
        self.parquet = parquet
        self.config: DictConfig | None = None
        self.hydra_context: HydraContext | None = None
        self.launcher: Launcher | None = None

    def setup(self, *, hydra_context: HydraContext, task_function: TaskFunction, config: DictConfig) -> None:
        """Keep the context and make the launcher that ``hydra/launcher`` names."""
        self.config, self.hydra_context = config, hydra_context
        self.launcher = Plugins.instance().instantiate_launcher(
            hydra_context=hydra_context, task_function=task_function, config=config)

    def sweep(self, arguments: list[str]) -> Any:
        """Run the sweep (the command line's overrides are in ``config.hydra.overrides.task``)."""
        from ijmond_sim.sweep import engine

        assert self.config is not None and self.hydra_context is not None and self.launcher is not None
        return engine.sweep(self.config, self.hydra_context.config_loader, self.launcher,
                            points_per_batch=self.points_per_batch, progress_seconds=self.progress_seconds,
                            parquet=self.parquet)
