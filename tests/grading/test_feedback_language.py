"""A feedback page says its language (WCAG 2.1, 3.1.1 Language of Page): nbgrader's template
writes a bare <html>; a Dutch student's page gets lang="nl" (found by a lecturer tryout)."""

from welfaregrading.feedback import set_page_language

PAGE = "<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"></head><body>Score</body></html>\n"


def test_the_edition_s_language_goes_into_the_html_tag(tmp_path):
    nl, en = tmp_path / "nl", tmp_path / "en"
    for folder in (nl, en):
        folder.mkdir()
        (folder / "m06-sroi.html").write_text(PAGE, encoding="utf-8")
    assert set_page_language(nl, "m06-nl") == [nl / "m06-sroi.html"]
    assert set_page_language(en, "m06") == [en / "m06-sroi.html"]
    assert '<html lang="nl">' in (nl / "m06-sroi.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in (en / "m06-sroi.html").read_text(encoding="utf-8")
    # a second run (feedback made again) changes nothing
    assert set_page_language(nl, "m06-nl") == []
    assert (nl / "m06-sroi.html").read_text(encoding="utf-8").count("lang=") == 1


def test_a_link_planted_in_the_feedback_folder_is_not_followed(tmp_path):
    outside = tmp_path / "gradebook.html"
    outside.write_text(PAGE, encoding="utf-8")
    folder = tmp_path / "feedback"
    folder.mkdir()
    (folder / "m06-sroi.html").symlink_to(outside)
    assert set_page_language(folder, "m06-nl") == []
    assert outside.read_text(encoding="utf-8") == PAGE
