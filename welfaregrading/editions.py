"""The course's language editions: English (the module's own id, ``m06``) and Dutch (``m06-nl``).

A Dutch assignment is a separate nbgrader assignment ``<id>-nl`` in ``source/<id>-nl/`` with the
same grade ids, points, locked cells and hidden tests as ``source/<id>`` (tests/test_edition_parity.py
checks this). What differs per edition at release time is the answer stub nbgrader writes in
place of a removed solution (``ClearSolutions.code_stub`` / ``text_stub``, see nbgrader's
ClearSolutions preprocessor) and a notebook metadata tag ``metadata.welfarelab.language`` that
the release adds to each Dutch notebook.

A third language (``fr``) is one more entry in :data:`STUBS` and its catalogs and notebooks.
"""

from __future__ import annotations

import io
import json
import os
import re
import tokenize
from pathlib import Path

#: The default language: an assignment id without a language suffix.
DEFAULT_LANGUAGE = "en"

#: What a student sees in place of a removed solution, per language (nbgrader's
#: ``ClearSolutions.code_stub`` is a dict per kernel language, ``text_stub`` a string). The
#: English ones are those of nbgrader_config.py; the Dutch ones are the edition's (issue 17).
STUBS: dict[str, dict] = {
    "nl": {
        "code_stub": {"python": "# JOUW ANTWOORD HIER: vervang deze regel door je code\n"
                                "raise NotImplementedError('Je hebt dit deel nog niet beantwoord')"},
        "text_stub": "JOUW ANTWOORD HIER (schrijf in volzinnen)",
    },
}

#: ``m06-nl`` -> (``m06``, ``nl``). A module id is ``m`` and two digits (course.yml).
_EDITION_ID = re.compile(r"^(?P<base>m\d\d)-(?P<lang>[a-z]{2})$")

#: The notebook metadata key the release writes into each non-English notebook:
#: ``metadata["welfarelab"]["language"]``.
METADATA_KEY = "welfarelab"


def split_id(assignment: str) -> tuple[str, str]:
    """``("m06", "nl")`` for ``"m06-nl"``, ``("m06", "en")`` for ``"m06"``.

    Raises ValueError for an id with a language suffix that has no stubs in :data:`STUBS`.
    """
    match = _EDITION_ID.match(assignment)
    if not match:
        return assignment, DEFAULT_LANGUAGE
    lang = match["lang"]
    if lang not in STUBS:
        raise ValueError(f"assignment {assignment!r}: no edition for language {lang!r} "
                         f"(known: {', '.join(sorted(STUBS))})")
    return match["base"], lang


def edition_id(base: str, language: str) -> str:
    """The assignment id of ``base`` in ``language``: ``m06`` (en) or ``m06-nl``."""
    return base if language == DEFAULT_LANGUAGE else f"{base}-{language}"


def editions_of(base: str, root: Path) -> dict[str, str]:
    """``{language: assignment id}`` for each edition of module ``base`` that has a
    ``root/source/<id>/`` with a notebook (English first)."""
    found = {}
    for lang in (DEFAULT_LANGUAGE, *sorted(STUBS)):
        aid = edition_id(base, lang)
        folder = Path(root) / "source" / aid
        if folder.is_dir() and any(folder.glob("*.ipynb")):
            found[lang] = aid
    return found


def apply_stubs(config, assignment: str) -> None:
    """Set ``config.ClearSolutions.code_stub``/``text_stub`` for ``assignment``'s language
    (nothing for English: nbgrader_config.py's own stubs stay)."""
    _, lang = split_id(assignment)
    if lang in STUBS:
        config.ClearSolutions.code_stub = dict(STUBS[lang]["code_stub"])
        config.ClearSolutions.text_stub = STUBS[lang]["text_stub"]


def tag_release(folder: Path, assignment: str) -> list[Path]:
    """Write ``metadata.welfarelab.language`` (and ``assignment``) into each notebook of a
    released non-English assignment ``folder``; English releases are left as they are.
    Returns the notebooks tagged."""
    import nbformat

    _, lang = split_id(assignment)
    if lang == DEFAULT_LANGUAGE:
        return []
    tagged = []
    for path in sorted(Path(folder).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        nb.metadata.setdefault(METADATA_KEY, {}).update({"language": lang,
                                                         "assignment": assignment})
        nbformat.write(nb, path)
        tagged.append(path)
    return tagged


def set_language_call(source: str) -> str | None:
    """The language of a ``welfarelab.set_language("xx")`` call in code ``source`` (comments and
    strings elsewhere do not count; read with :mod:`tokenize`), or None."""
    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline)
                  if t.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE,
                                    tokenize.INDENT, tokenize.DEDENT)]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None
    for i in range(len(tokens) - 5):
        a, dot, name, paren, arg, close = (t.string for t in tokens[i:i + 6])
        if (a, dot, name, paren, close) == ("welfarelab", ".", "set_language", "(", ")") \
                and tokens[i + 4].type == tokenize.STRING:
            value = arg.strip("'\"").lower()
            if re.fullmatch(r"[a-z]{2}", value):
                return value
    return None


# ---------------------------------------------------------------------------------------------
# Grading a mixed class: which edition a handed-in notebook is, where it goes, one grades row
# ---------------------------------------------------------------------------------------------

#: Largest notebook read to tell its language (the submission limit of nbgrader_config.py's
#: c.SubmissionLimits.max_bytes); a bigger one is left to the English route and its checks.
MAX_NOTEBOOK_BYTES = 50_000_000
#: Deepest JSON read (c.SubmissionLimits.max_json_depth).
MAX_JSON_DEPTH = 100


def grade_ids(path: Path) -> set[str]:
    """The nbgrader grade ids of the notebook at ``path`` (a course's own source file)."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    return {c.metadata["nbgrader"]["grade_id"] for c in nb.cells
            if c.get("metadata", {}).get("nbgrader", {}).get("grade_id")}


def notebook_language(path: Path, known_ids: set[str]) -> str | None:
    """The edition a handed-in notebook belongs to, from its content alone (never its name):
    ``"nl"`` when its cells carry grade ids of the assignment (``known_ids``, from
    ``source/<id>/``) and it says Dutch, by the release's tag ``metadata.welfarelab.language``
    or a ``welfarelab.set_language("nl")`` call in a code cell; ``"en"`` when it carries the
    grade ids and says neither; None when it is not readable as a notebook of this assignment
    (too big, too deep, not JSON, no grade id in common), so the caller keeps its usual route.

    A student can edit either sign; the worst that does is grade the notebook as the other
    edition, whose hidden tests and points are the same (tests/test_edition_parity.py)."""
    import json

    from welfaregrading import fs

    try:
        text = fs.read_limited(Path(path), MAX_NOTEBOOK_BYTES).decode("utf-8")
        if fs.json_depth(text) > MAX_JSON_DEPTH:
            return None
        nb = json.loads(text)
    except (fs.UnsafeTree, OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list):
        return None
    ids, said = set(), None
    for cell in cells:
        if not isinstance(cell, dict):
            continue
        meta = cell.get("metadata")
        grader = meta.get("nbgrader") if isinstance(meta, dict) else None
        if isinstance(grader, dict) and isinstance(grader.get("grade_id"), str):
            ids.add(grader["grade_id"])
        if cell.get("cell_type") == "code" and said is None:
            source = cell.get("source")
            source = "".join(s for s in source if isinstance(s, str)) \
                if isinstance(source, list) else source
            if isinstance(source, str) and "set_language" in source:
                said = set_language_call(source)
    if not ids & set(known_ids):
        return None
    meta = nb.get("metadata") if isinstance(nb.get("metadata"), dict) else {}
    tag = meta.get(METADATA_KEY) if isinstance(meta.get(METADATA_KEY), dict) else {}
    language = tag.get("language") if tag.get("language") in STUBS else None
    return language or (said if said in STUBS else DEFAULT_LANGUAGE)


def route_collected(course: Path, assignment: str, report: dict) -> dict[str, str]:
    """Move each collected notebook that the collect plan found to be another edition's
    (``files[i]["assignment"]`` is ``<id>-nl``) from ``submitted/<student>/<id>/`` to
    ``submitted/<student>/<id>-nl/``, with the submission's timestamp.txt; remove an edition
    folder that holds nothing of this collect (an older collect's). Returns
    ``{student: "en" | "nl" | "en+nl"}``."""
    import shutil

    from welfaregrading import fs

    course = Path(course)
    others = [edition_id(assignment, lang) for lang in sorted(STUBS)]
    routed = {}
    for sid, info in (report.get("students") or {}).items():
        home = course / "submitted" / sid / assignment
        langs = []
        for aid in others:
            if os.path.lexists(course / "submitted" / sid / aid):
                fs.remove(course / "submitted" / sid / aid)
        for item in info.get("files") or []:
            aid = item.get("assignment") or assignment
            langs.append(split_id(aid)[1])
            if aid == assignment:
                continue
            src, dest = home / item["to"], course / "submitted" / sid / aid
            if src.is_symlink() or not src.is_file():
                continue
            dest.mkdir(parents=True, exist_ok=True)
            shutil.move(str(src), dest / Path(item["to"]).name)
            stamp = home / "timestamp.txt"
            if stamp.is_file() and not stamp.is_symlink():
                shutil.copyfile(stamp, dest / "timestamp.txt")
            if os.path.lexists(home / aid):
                fs.remove(home / aid)  # the folder nbgrader made for it under <id>/
        if home.is_dir() and not any(p.suffix == ".ipynb" for p in home.iterdir()):
            fs.remove(home)  # every notebook went to another edition
        if langs:
            routed[sid] = "+".join(sorted(set(langs)))
    if earlier_editions(course, assignment, report):
        # (collect writes the report again only when a notebook was routed; this is kept too)
        path = course / "downloaded" / assignment / "collect-report.json"
        if path.is_file() and not path.is_symlink():
            path.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    return routed


#: An earlier attempt's time in Blackboard's file names: ``<assignment>_<username>_attempt_
#: <YYYY-MM-DD-HH-MM-SS>_<file name>`` (welfaregrading/collect.py LAYOUT_PATTERNS, which cites
#: Blackboard Learn's "Assignment File Download" with "all attempts").
_ATTEMPT = re.compile(r"_attempt_(\d{4})-(\d\d)-(\d\d)-(\d\d)-(\d\d)-\d\d(?:_|\.txt$)")


def earlier_editions(course: Path, assignment: str, report: dict) -> dict[str, list[dict]]:
    """What each student's EARLIER attempts were, where one was another edition than the
    attempt graded: Blackboard's "all attempts" download keeps every attempt and the collector
    grades only the latest, whole, whatever its language (the earlier files are in
    ``report["not_collected"]`` with kind ``"earlier attempt"``, still in ``extracted/``).

    For each such student, ``report["students"][sid]`` gets ``earlier_editions`` (a list of
    ``{"attempt": "YYYY-MM-DD HH:MM" (the platform's own time zone), "language": "nl",
    "assignment": "m06-nl", "file": path under extracted/}``) and a note in words; the
    earlier attempt is NOT graded. Told by content (:func:`notebook_language`), never by name.
    Returns ``{student: that list}``; nothing for a download without earlier attempts or a
    module without another edition."""
    base, lang = split_id(assignment)
    editions = editions_of(base, course) if lang == DEFAULT_LANGUAGE else {}
    students = (report or {}).get("students") or {}
    extracted = (report or {}).get("extracted")
    if len(editions) < 2 or not extracted or not isinstance(students, dict):
        return {}
    known = set()
    for path in sorted((Path(course) / "source" / assignment).glob("*.ipynb")):
        known |= grade_ids(path)
    found: dict[str, list[dict]] = {}
    for item in (report.get("not_collected") or []):
        if not isinstance(item, dict) or item.get("kind") != "earlier attempt":
            continue
        sid, rel = str(item.get("student") or ""), str(item.get("file") or "")
        info = students.get(sid)
        if not isinstance(info, dict) or not rel.lower().endswith(".ipynb") \
                or ".." in Path(rel).parts or Path(rel).is_absolute():
            continue
        said = notebook_language(Path(extracted) / rel, known)
        graded = {f.get("language") or DEFAULT_LANGUAGE for f in info.get("files") or []
                  if isinstance(f, dict)}
        if said is None or said not in editions or not graded or said in graded:
            continue
        when = _ATTEMPT.search(rel)
        attempt = f"{when[1]}-{when[2]}-{when[3]} {when[4]}:{when[5]}" if when else ""
        entry = {"attempt": attempt, "language": said, "assignment": editions[said], "file": rel}
        if any(e["attempt"] == attempt and e["language"] == said
               for e in found.get(sid, [])):
            continue
        found.setdefault(sid, []).append(entry)
    for sid, items in found.items():
        info = students[sid]
        info["earlier_editions"] = items
        notes = info.setdefault("notes", [])
        text = earlier_text(items, info)
        if text not in notes:
            notes.append(text)
    return found


def earlier_text(items: list[dict], info: dict) -> str:
    """The words for a student whose earlier attempt(s) were another edition (``items`` from
    :func:`earlier_editions`, ``info`` the student's collect report entry)."""
    graded = sorted({f.get("language") or DEFAULT_LANGUAGE for f in info.get("files") or []
                     if isinstance(f, dict)})
    latest = info.get("attempt") or ""
    latest = f"{latest[:10]} {latest[11:13]}:{latest[14:16]}" if len(latest) >= 16 else latest
    which = "; ".join(f"{e['attempt'] or 'undated'}: the {e['language']} edition "
                      f"({e['assignment']})" for e in items)
    return (f"an earlier attempt was another edition ({which}): not graded; only the latest "
            f"attempt{' (' + latest + ')' if latest else ''}, the {'+'.join(graded)} edition, "
            "counts (the platform keeps every attempt, the latest is graded whole)")


def merge_rows(base: str, rows_by_id: dict[str, list[dict]], report: dict) -> list[dict]:
    """One grades row per student for module ``base`` from the rows of each edition
    (``{assignment id: rows}`` as :func:`welfaregrading.roster.merge_rows` gives them), each
    row with ``assignment`` (the edition graded) and ``language``.

    A student with a submission in one edition gets that edition's row; one with submissions in
    both gets the LATER one by the platform's order as the collect report states it
    (``students[sid]["later"]``), with both scores named in ``reason`` (the same words in
    ``both_editions_text``, for the summary); a student with none gets the English row and
    an empty ``language``. A
    student whose earlier attempt (not graded) was another edition has that said in
    ``reason`` too (:func:`earlier_editions`). Row order: the English edition's (roster order),
    then students only seen in another edition, whatever the order of ``rows_by_id``."""
    students = (report or {}).get("students") or {}
    ordered = sorted(rows_by_id, key=lambda aid: aid != base)  # the module's own id first
    has = {aid: {r["student_id"]: r for r in rows_by_id[aid]} for aid in ordered}
    order = []
    for aid in ordered:
        order += [r["student_id"] for r in rows_by_id[aid] if r["student_id"] not in order]
    merged = []
    for sid in order:
        present = {aid: has[aid][sid] for aid in ordered if sid in has[aid]}
        info = students.get(sid) if isinstance(students.get(sid), dict) else {}
        # the editions this student handed in: as the collect report routed them, else (no
        # report, e.g. submitted/ filled by hand) every edition with a submission
        listed = {f.get("assignment") or base for f in info.get("files") or []
                  if isinstance(f, dict)}
        handed = {aid: r for aid, r in present.items()
                  if r["status"] not in ("no submission", "nothing to grade")
                  and (not listed or aid in listed)}
        if len(handed) > 1:
            later = edition_id(base, info.get("later") or DEFAULT_LANGUAGE)
            later = later if later in handed else next(iter(handed))
            row = dict(handed[later])
            text = both_text(handed, later, info.get("later_why"))
            row["reason"] = "; ".join(filter(None, [row["reason"], text]))
            row["both_editions"] = True
            row["both_editions_text"] = text
            row["editions"] = {aid: {"status": r["status"], "score": r.get("score"),
                                     "max_score": r.get("max_score")}
                               for aid, r in handed.items()}
            aid = later
        elif handed:
            aid = next(iter(handed))
            row = dict(handed[aid])
        else:
            aid = base if base in present else next(iter(present))
            row = dict(present[aid])
        earlier = [e for e in info.get("earlier_editions") or [] if isinstance(e, dict)]
        if earlier:
            row["earlier_editions_text"] = earlier_text(earlier, info)
            row["reason"] = "; ".join(filter(None, [row["reason"],
                                                    row["earlier_editions_text"]]))
        row["assignment"] = aid
        # the language of what was handed in; nothing handed in has no language (a guess of
        # "en" for a student with only a .docx, or nothing, misled the lecturer's tryout)
        row["language"] = split_id(aid)[1] if handed else ""
        merged.append(row)
    return merged


def both_text(handed: dict[str, dict], later: str, why: str | None = None) -> str:
    """The words for a student who handed in both editions (``handed``: ``{assignment id:
    row with status, score, max_score}``, the module's own id first; ``later``: the one that
    counts; ``why``: the collect report's ``later_why``), as the grades file's ``reason`` and
    the summary say it."""
    scores = ", ".join(f"{aid} {score_text(r)}" for aid, r in handed.items())
    return (f"handed in both editions ({scores}): the later one, {later}, counts "
            f"({why or 'the platform order'})")


def score_text(row: dict) -> str:
    """``"7/10"`` (score of max_score points), ``"7"`` without a maximum, or the status in
    brackets when there is no score (``"(failed)"``)."""
    if row.get("score") is None:
        return f"({row['status']})"
    return f"{row['score']:g}/{row['max_score']:g}" if row.get("max_score") else f"{row['score']:g}"


def edition_ids(course: Path, assignment: str) -> list[str]:
    """The assignment ids graded under module ``assignment`` in ``course``: the id itself and
    each language edition with a ``source/<id>-xx/`` (``m06`` → ``["m06", "m06-nl"]``: English
    first; the grading checker process keeps a notebook's ``set_language`` for the next one,
    so an English notebook is never graded after a Dutch one in the same process). An
    edition id itself (``m06-nl``) stands alone."""
    base, lang = split_id(assignment)
    if lang != DEFAULT_LANGUAGE:
        return [assignment]
    return list(editions_of(base, course).values()) or [assignment]


def routed_away(course: Path, assignment: str) -> set[str]:
    """Students of the last collect of ``assignment`` whose every notebook went to another
    edition (``collect-report.json``'s ``languages``, e.g. ``{"202": "nl"}``): the module's own
    summary lists them as collected but not graded, and they are graded under ``<id>-nl``."""
    import json

    path = Path(course) / "downloaded" / assignment / "collect-report.json"
    try:
        routed = json.loads(path.read_text(encoding="utf-8")).get("languages") or {}
    except (OSError, ValueError, AttributeError):
        return set()
    return {sid for sid, langs in routed.items()
            if isinstance(langs, str) and DEFAULT_LANGUAGE not in langs.split("+")}
