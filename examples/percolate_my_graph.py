"""Does my own network percolate? Site percolation on any networkx graph, checked against a lattice.

Percolates a user graph (here a random geometric graph in the unit square) at several p and reports the
fraction of nodes in the largest cluster; as a check, the same is done for a square lattice (a
``Lattice`` object: its networkx graph against the fast array path).

Usage: python examples/percolate_my_graph.py [--quick]
"""

import argparse
import sys
from pathlib import Path

import networkx as nx
import numpy as np

from lattices import LATTICES, label_sites, percolate_graph, random_sites


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small graphs")
    args = parser.parse_args()
    n, samples = (400, 10) if args.quick else (3000, 40)
    g = nx.random_geometric_graph(n, radius=1.6 / np.sqrt(n), seed=1)
    print(f"random geometric graph: {n} nodes, mean degree {2 * g.number_of_edges() / n:.2f}")
    rng = np.random.default_rng(0)
    for p in (0.3, 0.5, 0.7, 0.9):
        frac = np.mean([len(percolate_graph(g, p, seed=rng)[0]) / n if p > 0 else 0 for _ in range(samples)])
        print(f"  p = {p:.1f}: largest cluster holds {frac:.3f} of the nodes")
    L = 16 if args.quick else 64
    square = LATTICES["square"]
    lat = square.graph(L)
    occ = random_sites(square, L, 0.6, seed=5)
    labels, _ = label_sites(occ, square)
    fast = np.bincount(labels.ravel())[1:].max()
    nodes = [tuple(int(c) for c in v) for v in np.argwhere(occ)]
    slow = max(len(c) for c in nx.connected_components(lat.subgraph(nodes)))
    print(f"square {L}x{L} at p = 0.6: largest cluster {fast} (array path) == {slow} (networkx path): {fast == slow}")


if __name__ == "__main__":
    try:
        main()
    except (ValueError, TypeError, OSError, MemoryError) as exc:  # bad input: one line on stderr, no traceback
        sys.exit(f"{Path(sys.argv[0]).name}: error: {exc}")
    except KeyboardInterrupt:
        sys.exit(130)
