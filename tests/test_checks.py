"""welfarelab.checks: the messages of check cells, in a real kernel and through nbgrader's Validate.

The kernel tests build a small notebook with nbformat (setup cell, then pairs of answer cell and
check cell, one pair per beginner's mistake), run it once with nbclient (the executor nbgrader's
Execute preprocessor is built on) and read each check cell's outputs as a student would see them.
"""


import sys

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from welfarelab import checks
from welfarelab.checks import CheckFailed, answered, check, number

STUB = ("# YOUR ANSWER HERE: replace this line with your code\n"
        "raise NotImplementedError('You have not answered this part yet')")
IMPORT = "# Checks for part {part}\nfrom welfarelab.checks import answered, number, check\n"
OK_LINE = "print('✓ Part {part}: the visible checks pass')"

# (key, answer cell, check cell body): each check cell ends with the ✓ line.
CASES = [
    ("stub", STUB, "answered('Part 1', 'stub_total')\nnumber('stub_total', stub_total)"),
    ("syntax", "syntax_total = round(30000 / 4\nsyntax_count = 3",
     "answered('Part 2', 'syntax_total')\nnumber('syntax_total', syntax_total)"),
    ("comma_error", "comma_rate = (1 - 0,25) * 0.5",
     "answered('Part 3', 'comma_rate')\nnumber('comma_rate', comma_rate, share=True)"),
    ("text_error", "text_total = 40 * (1 - '25%')",
     "answered('Part 18', 'text_total')\nnumber('text_total', text_total)"),
    ("key_error", ("import pandas as pd\nkey_table = pd.DataFrame({'ects': [30, 60]})\n"
     "key_largest = key_table['ECTS'].max()"),
     "answered('Part 19', 'key_table', 'key_largest')\nnumber('key_largest', key_largest)"),
    ("tuple", "tuple_rate = 0,25",
     "answered('Part 4', 'tuple_rate')\nnumber('tuple_rate', tuple_rate, share=True)"),
    ("renamed", "renamed_totl = 4500",
     "answered('Part 5', 'renamed_total')\nnumber('renamed_total', renamed_total)"),
    ("nameerror", "nameerror_total = basket_price * 3",
     "answered('Part 6', 'nameerror_total')\nnumber('nameerror_total', nameerror_total)"),
    ("thousands", "thousands_total = (30.000 - 12.000) / 4",
     ("answered('Part 7', 'thousands_total', typed_amounts=True)\n"
     "number('thousands_total', thousands_total, low=1000, high=7500)")),
    ("thousands_untyped", "thousands_untyped = (30.000 - 12.000) / 4",
     ("answered('Part 8', 'thousands_untyped')\n"
     "number('thousands_untyped', thousands_untyped, low=1000, high=7500)")),
    ("percent", "percent_share = 25",
     "answered('Part 9', 'percent_share')\nnumber('percent_share', percent_share, share=True)"),
    ("percent_text", "percent_text = '25%'",
     "answered('Part 10', 'percent_text')\nnumber('percent_text', percent_text, share=True)"),
    ("times12", "monthly_cost = 1500 * 12",
     "answered('Part 11', 'monthly_cost')\nnumber('monthly_cost', monthly_cost, low=800, high=2500)"),
    ("times10", "ten_total = 45000",
     "answered('Part 12', 'ten_total')\nnumber('ten_total', ten_total, low=3000, high=6000)"),
    ("sign", "sign_margin = 8 - 12",
     "answered('Part 13', 'sign_margin')\nnumber('sign_margin', sign_margin, low=0.5, high=10)"),
    ("whole", "whole_people = 36.5",
     "answered('Part 14', 'whole_people')\nnumber('whole_people', whole_people, whole=True)"),
    ("table", "import pandas as pd\ntable_total = pd.DataFrame({'ects': [30, 60]})",
     "answered('Part 15', 'table_total')\nnumber('table_total', table_total)"),
    ("structure", "structure_list = ['a', 'b']",
     ("answered('Part 16', 'structure_list')\n"
     "check(len(structure_list) == 5, 'structure_list should hold five items.')")),
    ("pair_comma", ("from welfarelab.finance import break_even_mix\n"
                    "pair_mix = break_even_mix(150000, {'SMEs': (0,3, 3500), 'large': (0.7, 5500)}, 1300)"),
     "answered('Part 20', 'pair_mix')"),
    ("stopped_thousands", ("from welfarelab.finance import break_even\n"
                           "stopped_be = break_even(150000, 4.500, 1300)"),
     "answered('Part 21', 'stopped_be', typed_amounts=True)"),
    ("good", "good_total = 4500",
     ("answered('Part 17', 'good_total', typed_amounts=True)\n"
     "number('good_total', good_total, whole=True, low=1000, high=7500)")),
]


@pytest.fixture(scope="module")
def ran():
    """The test notebook, executed once; {key: (answer cell, check cell)} with their outputs."""
    cells = [new_code_cell("import welfarelab")]
    for n, (_key, answer, body) in enumerate(CASES, start=1):
        cells.append(new_code_cell(answer))
        cells.append(new_code_cell(IMPORT.format(part=n) + body + "\n" + OK_LINE.format(part=n)))
    nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3",
                                                            "display_name": "Python 3",
                                                            "language": "python"}})
    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True).execute()
    return {key: (nb.cells[1 + 2 * i], nb.cells[2 + 2 * i]) for i, (key, _a, _b) in enumerate(CASES)}


def _error(cell):
    errors = [o for o in cell.outputs if o.output_type == "error"]
    assert len(errors) == 1, cell.outputs
    return errors[0]


def _message(cell) -> str:
    error = _error(cell)
    assert error.ename == "CheckFailed"
    # the lines shown are the message wrapped at WRAP_WIDTH (the sentence itself is the
    # evalue), then one line naming the check cell by its first comment line
    assert " ".join(error.traceback[:-1]).split() == error.evalue.split()
    assert error.traceback[-1] == "(check cell: " + cell.source.splitlines()[0][2:] + ")"
    return error.evalue


def _stdout(cell) -> str:
    return "".join(o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stdout")


def test_passing_answer_prints_the_tick_and_no_error(ran):
    _answer, check_cell = ran["good"]
    assert [o.output_type for o in check_cell.outputs] == ["stream"]
    number_of_part = [k for k, _a, _b in CASES].index("good") + 1
    assert _stdout(check_cell) == f"✓ Part {number_of_part}: the visible checks pass\n"


@pytest.mark.parametrize("key", [k for k, _a, _b in CASES if k != "good"])
def test_error_output_is_the_plain_message_only(ran, key):
    """No traceback header, no frames, no code line: the traceback lines are the message, then
    one line naming the check cell (its first comment line, "# Checks for part N")."""
    _answer, check_cell = ran[key]
    error = _error(check_cell)
    assert error.ename == "CheckFailed"
    assert " ".join(error.traceback[:-1]).split() == error.evalue.split()
    part = [k for k, _a, _b in CASES].index(key) + 1
    assert error.traceback[-1] == f"(check cell: Checks for part {part})"
    assert all(len(line) <= checks.WRAP_WIDTH for line in error.traceback)
    text = "\n".join(error.traceback)
    assert "Traceback" not in text and "---->" not in text and "Cell In" not in text
    assert "answered(" not in text and "number(" not in text
    assert "✓" not in _stdout(check_cell)


def test_stub_is_not_answered_yet(ran):
    assert _message(ran["stub"][1]) == (
        "Part 1 is not answered yet: in the answer cell above, replace the line that starts with "
        "raise NotImplementedError by your answer, and run that cell.")


def test_syntax_error_is_named_with_its_line(ran):
    text = _message(ran["syntax"][1])
    assert text.startswith("Part 2: your answer cell stopped with an error, so syntax_total was "
                           "not stored.")
    assert "syntax error" in text and "not answered yet" not in text
    assert "Python could not read line 1 of your answer cell: a syntax error ('(' was never " \
           "closed)" in text


def test_comma_decimal_type_error_is_explained_in_the_cell_and_the_check(ran):
    answer, check_cell = ran["comma_error"]
    assert _error(answer).ename == "TypeError"
    assert "Hint: it looks like a comma was typed as the decimal point" in _stdout(answer)
    text = _message(check_cell)
    assert text.startswith("Part 3: your answer cell stopped with an error, so comma_rate")
    # the student's own number, and how Python writes it
    assert "you typed 0,25, and Python writes 0.25." in text


def test_comma_decimal_inside_a_pair_is_named_after_the_calculators_own_error(ran):
    answer, check_cell = ran["pair_comma"]
    assert _error(answer).ename in ("TypeError", "ValueError")
    text = _message(check_cell)
    assert text.startswith("Part 20: your answer cell stopped with an error, so pair_mix")
    assert "comma as the decimal point" in text and "Python writes 0.35, not 0,35" in text


def test_thousands_point_is_named_when_the_calculator_refused_the_value(ran):
    answer, check_cell = ran["stopped_thousands"]
    assert _error(answer).ename == "ValueError"
    text = _message(check_cell)
    assert text.startswith("Part 21: your answer cell stopped with an error, so stopped_be")
    assert "In your answer you typed 4.500. Python reads the point as a decimal point" in text


def test_number_in_quotes_type_error_is_explained_in_the_cell_and_the_check(ran):
    answer, check_cell = ran["text_error"]
    assert _error(answer).evalue == "unsupported operand type(s) for -: 'int' and 'str'"
    hint = ('It looks like a number was typed as text, in quotes (like "35%"): type numbers '
            'without quotes, and a percentage as a share (35 % is 0.35).')
    assert _stdout(answer) == "Hint: " + hint[0].lower() + hint[1:] + "\n"
    assert _message(check_cell) == ("Part 18: your answer cell stopped with an error, so "
                                    "text_total was not stored. " + hint)


def test_key_error_names_the_missing_column(ran):
    assert _message(ran["key_error"][1]) == (
        "Part 19: your answer cell stopped with an error, so key_largest was not stored. "
        "Python said: KeyError: 'ECTS' That column or key does not exist: check its spelling "
        "(capitals count).")


def test_tuple_value_names_the_comma(ran):
    assert _message(ran["tuple"][1]) == (
        "tuple_rate is a pair of numbers (a tuple): did you type a comma as the decimal point? "
        "Python writes 0.35, not 0,35 (and 37000, not 37,000).")


def test_renamed_variable_names_the_expected_name_and_spelling(ran):
    text = _message(ran["renamed"][1])
    assert text.startswith("Part 5 is not complete: renamed_total is missing, and your answer "
                           "stored renamed_totl instead.")
    assert "spelling" in text


def test_name_error_names_the_missing_name(ran):
    text = _message(ran["nameerror"][1])
    assert "It uses basket_price, which does not exist: check its spelling" in text


def test_thousands_point_typed_amounts(ran):
    assert _message(ran["thousands"][1]) == (
        "In your answer you typed 30.000 and 12.000. Python reads the point as a decimal point, "
        "so 30.000 is 30, not 30000. Write 30000 or 30_000, without a point, and run the cell "
        "again.")


def test_thousands_point_without_typed_amounts_is_1000_times_too_small(ran):
    # (30.0 - 12.0) / 4 = 4.5, and 4.5 * 1000 lies in [1000, 7500]
    assert _message(ran["thousands_untyped"][1]).startswith(
        "thousands_untyped looks about 1000 times too small: did you type a point as thousands "
        "separator (37.000 for thirty-seven thousand)? Python writes 37000.")


def test_percent_for_a_share(ran):
    assert _message(ran["percent"][1]) == (
        "percent_share looks like a percentage: write it as a share, a number from 0 to 1 "
        "(35 % is 0.35).")
    text = _message(ran["percent_text"][1])
    assert text.startswith("percent_text is text ('25%'): type the number without quotes.")
    assert "35 % is 0.35" in text


def test_scale_and_sign_diagnoses(ran):
    assert _message(ran["times12"][1]).startswith(
        "monthly_cost looks about 12 times too large: a figure per year where one per month")
    assert _message(ran["times10"][1]).startswith("ten_total looks about 10 times too large")
    assert _message(ran["sign"][1]).startswith("sign_margin has the wrong sign: check plus and "
                                               "minus")
    assert _message(ran["whole"][1]).startswith(
        "whole_people should be a whole number, without decimals")
    assert _message(ran["table"][1]).startswith("table_total is a table")
    assert _message(ran["structure"][1]) == "structure_list should hold five items."


# --- the same functions without a kernel (the grading checker runs check cells this way) ------

def test_bounds_are_inclusive_and_whole_floats_are_whole():
    number("x", 1000, whole=True, low=1000, high=7500)
    number("x", 7500.0, whole=True, low=1000, high=7500)
    number("s", 0, share=True)
    number("s", 1, share=True)
    with pytest.raises(CheckFailed, match=r"^x should lie between 1000 and 7500 "
                                          r"baskets\. Did you give the subsidy"):
        number("x", 7501, low=1000, high=7500, unit="baskets",
               why_high="did you give the subsidy to break_even?")
    with pytest.raises(CheckFailed, match=r"^x should be at least 10\.$"):
        number("x", 2, low=10)


def test_numpy_numbers_pass_and_nan_fails():
    np = pytest.importorskip("numpy")
    number("n", np.int64(4), whole=True, low=1, high=10)
    number("n", np.float64(0.25), share=True)
    with pytest.raises(CheckFailed, match="not a finite number"):
        number("n", float("nan"))


def test_calculator_result_object_names_its_fields():
    from welfarelab.finance import break_even

    result = break_even(fixed_costs=30000, price=12, variable_cost=8, subsidy=12000)
    with pytest.raises(CheckFailed) as caught:
        number("grocery", result, low=1000, high=7500)
    assert str(caught.value).startswith("grocery is the result of a calculator, not a number")
    assert "units_rounded" in str(caught.value) and "e.g." not in str(caught.value)
    from welfarelab.impact import Outcome, sroi

    ratio = sroi([Outcome("a", "b", 10, 1000, 0.2, 0.0, 0.1, 0.0, 1)], 5000)
    with pytest.raises(CheckFailed) as caught:
        number("sroi_ratio", ratio, low=0.5, high=10)
    # the field the name asks for, not the first in the list (present_value sent students astray)
    assert "e.g. sroi_ratio.ratio " in str(caught.value)


def test_long_messages_are_wrapped_for_the_validate_dialog():
    lines = CheckFailed("word " * 60)._render_traceback_()
    assert len(lines) > 3 and all(len(line) <= checks.WRAP_WIDTH for line in lines)
    assert " ".join(lines).split() == ["word"] * 60


def test_messages_never_repeat_the_value():
    """A message shows the plausibility bounds, never the checked value (it could be the
    expected answer, e.g. the right number typed in quotes)."""
    cases = [({"value": "4500"}, "text (a number in quotes)"),
             ({"value": 45000, "low": 1000, "high": 7500}, "times too large"),
             ({"value": -4500, "low": 1000, "high": 7500}, "wrong sign"),
             ({"value": 8000, "low": 1000, "high": 7500}, "should lie between 1000 and 7500"),
             ({"value": 4500.5, "whole": True}, "whole number")]
    for kwargs, phrase in cases:
        with pytest.raises(CheckFailed) as caught:
            number("baskets_needed", **kwargs)
        assert phrase in str(caught.value)
        assert "4500" not in str(caught.value) and "45000" not in str(caught.value)


def test_answered_without_records_uses_the_namespace_only(monkeypatch):
    monkeypatch.setattr(checks, "_records", checks.collections.deque(maxlen=5))
    with pytest.raises(CheckFailed) as caught:
        answered("Part 9", "aa", "bb", namespace={})
    assert str(caught.value) == (
        "Part 9 is not answered yet, or its answer cell stopped with an error (for example a "
        "syntax error: read the red message under that cell), so aa and bb were not stored.")
    with pytest.raises(CheckFailed, match=r"^Part 9 is not complete: bb is missing\."):
        answered("Part 9", "aa", "bb", namespace={"aa": 1})
    answered("Part 9", "aa", "bb", namespace={"aa": 1, "bb": 2})


def test_bad_arguments_name_the_field():
    with pytest.raises(TypeError, match="part must be"):
        answered(3, "x")
    with pytest.raises(TypeError, match="give the variable names"):
        answered("Part 1")
    with pytest.raises(TypeError, match="low must be a number"):
        number("x", 3, low="10")
    with pytest.raises(ValueError, match=r"low \(10\) must not be above high \(1\)"):
        number("x", 3, low=10, high=1)
    with pytest.raises(TypeError, match="message must be"):
        check(False, "")
    check(True, "never shown")


def test_render_traceback_is_the_message_lines():
    assert CheckFailed("one\ntwo")._render_traceback_() == ["one", "two"]
    assert issubclass(CheckFailed, AssertionError)


def test_typed_amounts_reads_tokens_not_comments_or_strings():
    source = "x = 30.000  # not 4.800 here\ny = '12.000'\nz = 0.250 + 1.25 + 2.5 + 180.000"
    assert checks._typed_amounts(source) == ["30.000", "180.000"]


def test_recorder_names_of_unparsable_cell():
    assigned, used = checks._names_of("total = (1 + 2\nshare += 3\nif x == 2: pass")
    assert assigned == {"total", "share"}
    assert {"total", "share", "x"} <= used


# --- nbgrader's Validate ------------------------------------------------------------------------

def test_validator_reports_the_message_first(tmp_path):
    from nbgrader.validator import Validator

    def meta(grade_id, *, solution=False, grade=False, points=None):
        md = {"grade": grade, "grade_id": grade_id, "locked": not solution,
              "schema_version": 3, "solution": solution, "task": False}
        if points is not None:
            md["points"] = points
        return {"nbgrader": md}

    cells = [
        new_code_cell("import welfarelab", metadata=meta("setup")),
        new_code_cell("baskets_needed = (30.000 - 12.000) / 4",
                      metadata=meta("part-answer", solution=True)),
        new_code_cell("# Checks for part 1\nfrom welfarelab.checks import answered, number\n"
                      "answered('Part 1', 'baskets_needed', typed_amounts=True)\n"
                      "number('baskets_needed', baskets_needed, low=1000, high=7500)\n"
                      "print('✓ Part 1')", metadata=meta("part", grade=True, points=2)),
    ]
    nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3",
                                                            "display_name": "Python 3",
                                                            "language": "python"}})
    path = tmp_path / "tiny.ipynb"
    nbformat.write(nb, str(path))
    result = Validator().validate(str(path))
    assert list(result) == ["failed"], result
    (failed,) = result["failed"]
    assert " ".join(failed["error"].split()).startswith(
        "In your answer you typed 30.000 and 12.000. Python reads the point as a decimal point")
    assert failed["raw_error"].splitlines()[-1] == "(check cell: Checks for part 1)"
    assert "Traceback" not in failed["error"] and "answered(" not in failed["error"]


def test_scales_limit_the_named_mistakes():
    # 45000 for [3000, 6000]: divided by 12 (3750) and by 10 (4500) both fit
    # 4500 lies nearer the middle of the range (log scale) than 3750: 10 first, 12 as the other
    with pytest.raises(CheckFailed, match=r"^t looks about 10 times too large: .*\(Or about 12 "
                                          r"times: check each step and unit\.\)$"):
        number("t", 45000, low=3000, high=6000)
    with pytest.raises(CheckFailed, match=r"^t looks about 12 times too large: a figure per year"):
        number("t", 45000, low=3000, high=4000)
    with pytest.raises(CheckFailed, match=r"^t looks about 10 times too large: check the number "
                                          r"of zeros and the decimal point\.$"):
        number("t", 45000, low=3000, high=6000, scales=(1000, 100, 10))
    with pytest.raises(ValueError, match=r"not \[7\]"):
        number("t", 4500, low=3000, high=6000, scales=(7,))


def test_recorder_defers_parsing_until_a_check_asks(monkeypatch):
    """The post_run_cell callback only stores the source and the error (it runs after every
    cell); the names are parsed when answered() first needs them."""
    import types

    monkeypatch.setattr(checks, "_records", checks.collections.deque(maxlen=5))
    result = types.SimpleNamespace(info=types.SimpleNamespace(raw_cell="total = 30000 / 4"),
                                   error_before_exec=None, error_in_exec=None)
    checks._post_run_cell(result)
    (rec,) = checks._records
    assert rec._names is None and rec.ename is None
    answered("Part 1", "total", namespace={"total": 7500})
    assert rec.assigned == {"total"}


# --- translations (gettext domain "welfarelab", Babel's tools) ---------------------------------

def test_babel_extracts_the_messages_for_translators():
    from babel.messages.extract import extract_from_file

    found = {msg if isinstance(msg, str) else msg[0]
             for _line, msg, _comments, _context in extract_from_file(
                 "python", checks.__file__, keywords={"_": None, "N_": None,
                                                      "_ngettext": (1, 2)})}
    assert ("{part} is not answered yet: in the answer cell above, replace the line that starts "
            "with raise NotImplementedError by your answer, and run that cell.") in found
    assert ("{name} looks about 1000 times too small: did you type a point as thousands "
            "separator (37.000 for thirty-seven thousand)? Python writes 37000.") in found
    assert "{part}: your answer cell stopped with an error, so {names} was not stored." in found


def test_a_catalog_translates_the_messages(tmp_path, monkeypatch):
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    catalog = Catalog(locale="nl", domain="welfarelab")
    catalog.add("{part} is not answered yet: in the answer cell above, replace the line that "
                "starts with raise NotImplementedError by your answer, and run that cell.",
                "{part} is nog niet beantwoord: vervang in de antwoordcel hierboven de regel die "
                "begint met raise NotImplementedError door je antwoord, en voer die cel uit.")
    folder = tmp_path / "nl" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / "welfarelab.mo", "wb") as out:
        write_mo(out, catalog)
    from welfarelab import i18n

    monkeypatch.setattr(i18n, "_LOCALE_DIR", tmp_path)
    i18n.set_language("nl")
    # the stub ran and stopped: "not answered yet"
    monkeypatch.setattr(checks, "_records", checks.collections.deque(
        [checks.Record(STUB, ename="NotImplementedError")], maxlen=5))
    try:
        with pytest.raises(CheckFailed, match=r"^Deel 2 is nog niet beantwoord: vervang in de antwoordcel"):
            answered("Deel 2", "x", namespace={})
        # a message without a translation stays English
        with pytest.raises(CheckFailed, match=r"^x should be at least 10\.$"):
            number("x", 2, low=10)
    finally:
        i18n.set_language("en")


def test_install_registers_once_per_shell_and_not_outside_ipython(monkeypatch):
    class Events:
        def __init__(self):
            self.registered = []

        def register(self, event, callback):
            self.registered.append((event, callback))

    shell = type("Shell", (), {})()
    shell.events = Events()
    monkeypatch.setattr(checks, "_installed_on", set())
    assert checks.install(shell) is True
    assert checks.install(shell) is True
    assert shell.events.registered == [("post_run_cell", checks._post_run_cell)]
    # without a shell argument: the running IPython shell, if any (normally none under pytest)
    ipython = sys.modules.get("IPython")
    running = ipython is not None and ipython.get_ipython() is not None
    assert checks.install() is running
