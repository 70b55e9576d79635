# Every target creates its own virtual environment (.venv) from plain python3.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Processes for the demo's sweeps (ensembles, lattices, scans); results do not depend on it.
WORKERS ?= 2

.PHONY: demo test physics bench docs report-docs lint clean quick

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	MPLBACKEND=Agg OPENBLAS_NUM_THREADS=1 $(BIN)/tunnelsim reproduce --out out --workers $(WORKERS)

quick: $(STAMP)
	MPLBACKEND=Agg OPENBLAS_NUM_THREADS=1 $(BIN)/tunnelsim reproduce --out out --quick --workers $(WORKERS)

test: $(STAMP)
	MPLBACKEND=Agg OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $(BIN)/python -m pytest -n 2 -q

# The physics alone (tests marked `physics`: results against independent references).
physics: $(STAMP)
	MPLBACKEND=Agg OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $(BIN)/python -m pytest -n 2 -q -m physics

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]" || echo "QuSpin baseline not installable here: its rows are skipped"
	MPLBACKEND=Agg $(BIN)/python benchmarks/run_all.py

# The site is built from the committed docs (docs/report.md included); the tree stays clean.
docs: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[docs]"
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict -d site

# After a full `make demo`: copy out/report.md and its figures into docs/ (then commit them).
report-docs: $(STAMP)
	test -f out/report.md || { echo "run make demo first"; exit 2; }
	$(BIN)/python -c "from tunnelsim.studies.report import export_report; export_report('out', 'docs')"

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) out site .pytest_cache
