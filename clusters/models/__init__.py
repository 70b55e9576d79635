"""The cluster models: 2LS and 3LS clusters on a common base (docs/clusters.md sec. 1; docs/theory.md sec. 3)."""

from .base import ClusterBase, SectorLevels, check_cluster
from .three_level import ThreeLevelCluster
from .two_level import TwoLevelCluster

__all__ = ["ClusterBase", "SectorLevels", "check_cluster", "TwoLevelCluster", "ThreeLevelCluster"]
