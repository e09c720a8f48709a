"""The trusted checker process outlives a notebook: a Dutch notebook's set_language("nl") must not
turn the next English student's feedback Dutch (found while grading a mixed class Dutch first)."""

import io
import json

from welfaregrading.execution.checker import serve

SETUP_NL = "import welfarelab\nwelfarelab.set_language('nl')\n"
SETUP_EN = "import welfarelab\n"
TEST = ("from welfarelab.checks import check\n"
        "import welfarelab\n"
        "print(welfarelab.get_language())\n"
        "check(False, 'Part 1 is not answered yet.')\n")


def _answers(requests):
    out = io.StringIO()
    serve(io.StringIO("".join(json.dumps(r) + "\n" for r in requests)), out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def _stdout(answer):
    return "".join(o.get("text", "") for o in answer["outputs"] if o["output_type"] == "stream")


def test_each_notebook_starts_in_english_whatever_the_one_before_set():
    answers = _answers([
        {"nb": "dutch-student", "setup": [SETUP_NL], "source": TEST, "name": "t"},
        {"nb": "english-student", "setup": [SETUP_EN], "source": TEST, "name": "t"},
        {"nb": "second-dutch-student", "setup": [SETUP_NL], "source": TEST, "name": "t"},
    ])
    assert [_stdout(a).strip() for a in answers] == ["nl", "en", "nl"]
    errors = [next(o for o in a["outputs"] if o["output_type"] == "error") for a in answers]
    assert all(e["evalue"].startswith("Part 1 is not answered yet.") for e in errors), errors
