"""Shared test fixtures: the repository root, its notebooks and its assignments."""

import os
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

REPO = Path(__file__).resolve().parents[1]


def assignment_ids():
    from welfaregrading.course import assignment_ids as ids

    return ids(REPO)


def repo_notebooks():
    """Every committed notebook outside hidden folders and the virtual environment."""
    return sorted(p for p in REPO.rglob("*.ipynb")
                  if not any(part.startswith(".") for part in p.relative_to(REPO).parts))


@pytest.fixture(scope="session")
def repo():
    return REPO
