"""Feedback leak checks by content (welfaregrading/leaks.py, welfaregrading/feedback.py).

Hostile outputs are made here from the source notebooks at run time: the hidden tests and
expected values printed base64-encoded, ROT13, reversed, as hex, with unicode escapes, spelled
out, or with the marker lines stripped (the encodings of the security review, issue 11). An
honest page (the solution's own code and its right answers printed plainly) must pass.
"""

import base64
import codecs
import json
import urllib.parse

import pytest
from conftest import REPO

from welfaregrading.feedback import check_pages
from welfaregrading.leaks import Secrets, _hidden_blocks

ASSIGNMENTS = sorted(p.name for p in (REPO / "source").iterdir() if any(p.glob("*.ipynb")))


def _cells(aid):
    nb = json.loads(next((REPO / "source" / aid).glob("*.ipynb")).read_text(encoding="utf-8"))
    return nb["cells"]


def _hidden_tests(aid) -> str:
    out = []
    for cell in _cells(aid):
        meta = cell["metadata"].get("nbgrader", {})
        if cell["cell_type"] == "code" and meta.get("grade") and not meta.get("solution"):
            out.append(_hidden_blocks("".join(cell["source"]))[0])
    return "\n".join(x for x in out if x.strip())


def _honest_page(aid, secrets) -> str:
    """What an honest student's feedback shows: every cell without hidden tests, and each
    expected value printed plainly as the student's own right answer."""
    parts = []
    for cell in _cells(aid):
        meta = cell["metadata"].get("nbgrader", {})
        src = "".join(cell["source"])
        if cell["cell_type"] == "code" and meta.get("grade") and not meta.get("solution"):
            src = _hidden_blocks(src)[1]
        parts.append(src.replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", ""))
    parts += [f"<pre>{v}</pre>" for v in sorted(secrets.expected_values)]
    return "<html><body>" + "\n".join(parts) + "</body></html>"


@pytest.mark.parametrize("aid", ASSIGNMENTS)
def test_every_assignment_has_secrets_and_an_honest_page_passes(aid):
    secrets = Secrets.from_source(REPO / "source" / aid)
    assert secrets.expected_values, aid  # every assignment's hidden tests hold expected values
    assert secrets.find(_honest_page(aid, secrets)) is None


def test_m06_secrets_are_the_expected_values_not_the_task_figures():
    secrets = Secrets.from_source(REPO / "source" / "m06")
    assert {"60000", "54000", "48600", "1.99897", "0.693"} <= secrets.expected_values
    # figures of the task (quantity 40, proxy 2500, discount rate 0.035) and tolerances are shown
    assert not {"40", "2500", "0.035", "0.01", "1e-4"} & secrets.expected_values


def _encodings(text: str) -> dict[str, str]:
    spelled = " ".join({"0": "zero", "1": "one", "2": "two", "3": "three", "4": "four",
                        "5": "five", "6": "six", "7": "seven", "8": "eight", "9": "nine",
                        ".": "point"}.get(ch, "") for ch in text if ch in "0123456789.")
    return {
        "base64": base64.b64encode(text.encode()).decode(),
        "urlsafe base64": base64.urlsafe_b64encode(text.encode()).decode().rstrip("="),
        "rot13": codecs.encode(text, "rot13"),
        "reversed": text[::-1],
        "hex": text.encode().hex(),
        "unicode escapes": "".join(f"\\u{ord(c):04x}" for c in text),
        "url": urllib.parse.quote(text, safe=""),
        "spelled": spelled,
    }


@pytest.mark.parametrize("aid", ASSIGNMENTS)
def test_hidden_tests_are_found_in_every_encoding(aid):
    secrets = Secrets.from_source(REPO / "source" / aid)
    hidden = _hidden_tests(aid)
    assert secrets.find("<pre>" + hidden + "</pre>") is not None  # markers stripped already
    for name, encoded in _encodings(hidden).items():
        if name == "spelled":
            continue  # (code is not spelled out; values are, below)
        assert secrets.find(f"<pre>{encoded}</pre>") is not None, (aid, name)


@pytest.mark.parametrize("name", ["base64", "urlsafe base64", "reversed", "hex",
                                  "unicode escapes", "spelled"])
def test_an_expected_value_alone_is_found_when_encoded(name):
    secrets = Secrets.from_source(REPO / "source" / "m06")
    page = f"<pre>the answer: {_encodings('1.99897')[name]}</pre>"
    assert "1.99897" in secrets.find(page)
    # printed plainly, it is the student's own right answer: not a leak
    assert secrets.find("<pre>sroi_ratio = 1.99897</pre>") is None


def test_check_pages_removes_leaking_pages_and_links(tmp_path):
    secrets = Secrets.from_source(REPO / "source" / "m06")
    folder = tmp_path / "feedback" / "s1" / "m06"
    folder.mkdir(parents=True)
    (folder / "m06-sroi.html").write_text(
        "<pre>" + base64.b64encode(b"assert abs(sroi_ratio - 1.99897) < 1e-4").decode() + "</pre>")
    (folder / "notes.txt").write_text("all fine")
    outside = tmp_path / "private.txt"
    outside.write_text("the lecturer's own file")
    (folder / "link.html").symlink_to(outside)
    reason = check_pages(folder, secrets)
    assert "m06-sroi.html was removed" in reason and "hidden-test code" in reason
    assert "link.html was removed: not a plain file" in reason
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
    assert outside.read_text() == "the lecturer's own file"
