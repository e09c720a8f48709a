"""Looking at a submission folder never follows a link or opens a named pipe: links, FIFOs, hard
links, devices, huge file trees and JSON nesting bombs are refused with a reason in words
(welfaregrading/fs.py, intake.py, preprocessors/check_folder.py)."""

import json
import os

import nbformat
import pytest
from conftest import REPO

from welfaregrading import fs, intake
from welfaregrading.preprocessors.check_folder import CheckGradingFolder, UnsafeGradingFolder

NB = "m06-sroi.ipynb"


@pytest.fixture()
def folder(tmp_path):
    sub = tmp_path / "submitted" / "s1" / "m06"
    sub.mkdir(parents=True)
    (sub / NB).write_bytes((REPO / "release" / "m06" / NB).read_bytes())
    (sub / "timestamp.txt").write_text("2025-03-30 20:00:00.000000 UTC")
    return sub


@pytest.fixture()
def canary(tmp_path):
    path = tmp_path / "outside" / "private.txt"
    path.parent.mkdir()
    path.write_text("lecturer's private file")
    return path


def test_an_honest_submission_passes(folder):
    assert fs.scan_tree(folder, 50, 50_000_000) is None
    problem, notes = intake.check_submission(folder, [NB])
    assert problem is None and notes == []


def test_a_symlink_at_the_notebook_name_is_refused_and_not_read(folder, canary):
    (folder / NB).unlink()
    (folder / NB).symlink_to(canary)
    problem, _ = intake.check_submission(folder, [NB])
    assert problem == (f"the submission folder is not safe to grade: {NB} is a symbolic link "
                       f"(to {canary}); the grader never follows links: a submission may hold "
                       "only ordinary files and folders")
    with pytest.raises(fs.UnsafeTree, match="symbolic link"):
        fs.read_limited(folder / NB, 1000)
    assert canary.read_text() == "lecturer's private file"


def test_a_fifo_is_refused_without_being_opened(folder):
    (folder / NB).unlink()
    os.mkfifo(folder / NB)
    problem, _ = intake.check_submission(folder, [NB])  # would hang if it opened the pipe
    assert problem.endswith(f"{NB} is a named pipe (FIFO); a submission may hold only ordinary "
                            "files and folders")
    with pytest.raises(fs.UnsafeTree, match="named pipe"):
        fs.read_limited(folder / NB, 1000)
    assert intake.submission_hash(folder)  # fingerprinted, not opened


def test_a_hard_link_and_a_link_to_dev_zero_are_refused(folder, tmp_path):
    other = tmp_path / "elsewhere.txt"
    other.write_text("x")
    os.link(other, folder / "notes.txt")
    assert "notes.txt is a hard link (the same file is stored under 2 names)" in \
        intake.check_submission(folder, [NB])[0]
    (folder / "notes.txt").unlink()
    (folder / "data.bin").symlink_to("/dev/zero")
    assert "data.bin is a symbolic link (to /dev/zero)" in intake.check_submission(folder, [NB])[0]
    with pytest.raises(fs.UnsafeTree):
        fs.copy_tree(folder, tmp_path / "copy")
    assert not (tmp_path / "copy").exists()


def test_ten_thousand_files_and_too_many_bytes_are_refused(folder):
    many = folder / "many"
    many.mkdir()
    for i in range(10_000):
        (many / f"f{i}").touch()
    problem, _ = intake.check_submission(folder, [NB])
    assert "holds more than 50 files and folders (the limit, c.SubmissionLimits.max_files)" \
        in problem
    assert intake.submission_hash(folder).endswith("-over-limit")
    limits = intake.SubmissionLimits(max_files=0, max_bytes=10_000)
    assert "its files hold more than 0.01 MB (the limit, c.SubmissionLimits.max_bytes)" in \
        intake.check_submission(folder, [NB], limits=limits)[0]


def test_a_json_nesting_bomb_is_refused_before_it_is_read(folder):
    bomb = '{"cells": [], "metadata": {"x": ' + "[" * 100_000 + "]" * 100_000 + "}}"
    (folder / NB).write_text(bomb)
    assert fs.json_depth(bomb) == 100_002
    problem, _ = intake.check_submission(folder, [NB])
    assert problem == (f"{NB} is not a usable notebook: its data is nested 100002 levels deep "
                       "(a notebook needs about 10; the limit is 100, "
                       "c.SubmissionLimits.max_json_depth)")
    # brackets inside strings do not count
    assert fs.json_depth(json.dumps({"a": "[[[[{{{{", "b": [[1]]})) == 3


def test_timestamps_are_read_safely(folder, canary):
    assert str(intake.read_timestamp(folder)) == "2025-03-30 20:00:00"
    (folder / "timestamp.txt").unlink()
    assert intake.read_timestamp(folder) is None
    os.mkfifo(folder / "timestamp.txt")
    with pytest.raises(ValueError, match="timestamp.txt cannot be read safely"):
        intake.read_timestamp(folder)
    (folder / "timestamp.txt").unlink()
    (folder / "timestamp.txt").symlink_to(canary)
    with pytest.raises(ValueError, match="symbolic link"):
        intake.read_timestamp(folder)


def test_copy_tree_copies_ordinary_files_and_remove_never_follows(folder, tmp_path, canary):
    dest = fs.copy_tree(folder, tmp_path / "copy")
    assert (dest / NB).read_bytes() == (folder / NB).read_bytes()
    link = tmp_path / "link-to-outside"
    link.symlink_to(canary.parent, target_is_directory=True)
    fs.remove(link)
    assert not os.path.lexists(link) and canary.exists()
    fs.remove(tmp_path / "does-not-exist")


def test_the_preprocessor_stops_before_the_writer(folder, canary):
    nb = nbformat.read(folder / NB, as_version=4)
    check = CheckGradingFolder()
    resources = {"metadata": {"path": str(folder)}, "nbgrader": {}}
    assert check.preprocess(nb, resources)[0] is nb
    (folder / "notes.txt").symlink_to(canary)
    with pytest.raises(UnsafeGradingFolder, match=rf"Grading folder refused: {folder}: "
                       r"notes.txt is a symbolic link \(to .*private.txt"):
        check.preprocess(nb, resources)


def test_the_lecturers_folders_are_copied_without_following_links(tmp_path, canary):
    import shutil

    from welfaregrading import course

    root = tmp_path / "root"
    (root / "source").mkdir(parents=True)
    shutil.copytree(REPO / "source" / "m06", root / "source" / "m06")
    shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    made = course.scratch_course(tmp_path / "scratch", ["m06"], root=root)
    assert (made / "source" / "m06" / NB).read_bytes() == (REPO / "source/m06" / NB).read_bytes()
    (root / "source" / "m06" / "data.csv").symlink_to(canary)
    with pytest.raises(fs.UnsafeTree, match=r"data.csv is a symbolic link .* put the file "
                                            "itself there"):
        course.scratch_course(tmp_path / "scratch2", ["m06"], root=root)
    assert not (tmp_path / "scratch2" / "source" / "m06" / "data.csv").exists()
    (root / "release" / "m06").mkdir(parents=True)
    (root / "release" / "m06" / "notes.txt").symlink_to(canary)
    with pytest.raises(fs.UnsafeTree, match="release/m06: notes.txt is a symbolic link"):
        course.release_zips(["m06"], root=root, out=tmp_path / "zips")


def test_an_assignment_folder_that_is_a_link_is_refused(tmp_path, folder):
    linked = tmp_path / "submitted" / "s2" / "m06"
    linked.parent.mkdir()
    linked.symlink_to(folder, target_is_directory=True)
    assert intake.submitted_students(tmp_path, "m06") == ["s1", "s2"]
    problem, _ = intake.check_submission(linked, [NB])
    assert problem == ("the submission folder is not safe to grade: m06 is a symbolic link, not "
                       "a folder; a submission may hold only ordinary files and folders")
    assert intake.unsafe_submissions(tmp_path) == {
        "s2": "submitted/s2/m06: m06 is a symbolic link, not a folder; a submission may hold "
              "only ordinary files and folders"}


def test_formgraders_configuration_loaded_before_a_fifo_arrived_refuses_it(tmp_path):
    """formgrader's server loads its configuration once: a submission that arrives later with
    a named pipe at the notebook's name must fail with the reason, not hang the grader."""
    from welfaregrading import batch, course, report, samples

    made = course.scratch_course(tmp_path / "course", ["m06"])
    batch.ensure_assignment(made, "m06")
    api = course.api_for(made)  # the configuration is read now, before the submissions
    release = nbformat.read(REPO / "release" / "m06" / NB, as_version=4)
    for sid in ["fifo-sub", "zero-sub"]:
        samples.submit(made, "m06", sid, release, NB)
    os.unlink(made / "submitted/fifo-sub/m06" / NB)
    os.mkfifo(made / "submitted/fifo-sub/m06" / NB)
    (made / "submitted/zero-sub/m06/data.bin").symlink_to("/dev/zero")
    result = api.autograde("m06", "fifo-sub", force=True, create=True)
    assert not result["success"]
    assert report.failure_reason(result) == (
        "submitted/fifo-sub/m06 is not safe to grade: m06-sroi.ipynb is a named pipe (FIFO); "
        "a submission may hold only ordinary files and folders")
    result = api.autograde("m06", "zero-sub", force=True, create=True)  # nothing is copied
    assert "data.bin is a symbolic link (to /dev/zero)" in report.failure_reason(result)
    assert not os.path.lexists(made / "autograded/zero-sub/m06/data.bin")
