"""A verdict can only be computed: the verdict words stand as literals in one place, the Verdict vocabulary."""

from __future__ import annotations

import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VOCABULARY = ROOT / "tunnelsim" / "studies" / "claims.py"
WORDS = re.compile(r"\b(agrees|disagrees|inconclusive)\b")
FOLDERS = ("tunnelsim", "clusters", "lattices", "tests", "examples", "benchmarks")


def _string_literals(path: Path):
    with path.open("rb") as fh:
        for tok in tokenize.tokenize(fh.readline):
            if tok.type == tokenize.STRING:
                yield tok.start[0], tok.string


def test_verdict_words_only_in_the_vocabulary():
    offenders = []
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path == VOCABULARY or path == Path(__file__).resolve():
                continue
            for line, text in _string_literals(path):
                if WORDS.search(text):
                    offenders.append(f"{path.relative_to(ROOT)}:{line}: {text[:80]}")
    assert not offenders, "verdict words written as literals (use tunnelsim.studies.claims.Verdict):\n" + "\n".join(
        offenders)


def test_the_vocabulary_defines_each_word_once():
    text = VOCABULARY.read_text()
    tokens = [t for _, t in _string_literals(VOCABULARY) if t.strip("\"'") in ("agrees", "disagrees", "inconclusive")]
    assert sorted(tokens) == ['"agrees"', '"disagrees"', '"inconclusive"'], tokens
    assert "class Verdict" in text
