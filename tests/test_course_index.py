"""The course index links every module notebook and every assignment."""

import re

import nbformat

from conftest import REPO

INDEX = REPO / "notebooks" / "index.ipynb"


def index_links():
    text = "\n".join(c.source for c in nbformat.read(INDEX, as_version=4).cells)
    return set(re.findall(r"\]\(([^)\s]+)\)", text))


def test_index_links_every_module_notebook():
    links = index_links()
    for path in sorted((REPO / "notebooks").glob("m[0-9][0-9]-*.ipynb")):
        assert path.name in links, f"the course index does not link {path.name}"


def test_index_links_every_release_assignment():
    links = index_links()
    for path in sorted((REPO / "release").glob("*/*.ipynb")):
        assert f"../release/{path.parent.name}/{path.name}" in links, f"index misses {path}"


def test_index_links_resolve():
    for link in index_links():
        if "://" not in link:
            assert (INDEX.parent / link).exists(), link
