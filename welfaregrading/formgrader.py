"""Formgrader, safe to open on any submission: ``make formgrader`` runs ``python -m
welfaregrading.formgrader``, which starts JupyterLab with everything below.

Formgrader (nbgrader's ``formgrader`` server extension) shows a submission at
``/formgrader/submissions/<id>/``: its ``SubmissionHandler`` renders the *autograded* notebook
with nbconvert's ``HTMLExporter`` and nbgrader's ``formgrade`` template (the ``classic`` template
plus score and comment fields and formgrader's own scripts), served from the Jupyter origin.
Autograde runs the student's code again, so every output on that page is whatever the student's
code chose to display (``display(HTML(...))``, ``Javascript(...)``, any raw mime bundle), and the
written answers are the student's markdown, raw HTML included. nbgrader turns nbconvert's
sanitising off (and its ``formgrade`` template renders markdown cells without it), so a
``<script>`` or an ``<img onerror=...>`` there would run as the lecturer: with the lecturer's
cookie and ``_xsrf`` token it could call the Jupyter REST API, open a terminal, change grades.

Three layers keep a student's HTML from acting in the lecturer's origin:

1. **Sanitising** (:class:`SanitizeStudentOutput` and :func:`strip_files_prefix_and_sanitize`,
   named in ``nbgrader_config.py`` and passed on the command line here, so formgrader also uses
   them for a course folder whose config lacks them): outputs are cleaned by nbconvert's own
   ``SanitizeHTML`` preprocessor (scripts and ``application/javascript``, SVG and widget outputs
   removed; HTML and markdown outputs cleaned), markdown cells after they are rendered to HTML,
   with a list of harmless tags (:data:`TAGS`) and attributes (no ``on...``, no ``id``, no class
   that formgrader's own scripts look for). Disallowed markup is shown as text, so the grader
   sees what the student tried. The same settings clean the feedback pages.
2. **Content-Security-Policy** on formgrader's submission pages (:class:`SubmissionPagePolicy`,
   a server extension): the only scripts allowed are formgrader's own files under
   ``/formgrader/static/`` and the inline scripts and ``onclick`` handlers of nbgrader's
   ``formgrade`` template (recognised by their text, read from the installed template, and
   allowed by hash); no other inline script, event handler, ``javascript:`` URL, plug-in, frame,
   ``<base>`` or form posting elsewhere; images only from the server or ``data:`` URLs (no
   tracking pixel). The page is never cached nor answered with "304 Not Modified" (whose headers
   would replace the policy). Files a submission brings along (served under
   ``/formgrader/submissions/<id>/<file>``) get ``sandbox``: an HTML file there runs in no origin.
   MathJax comes from a CDN, which the policy does not allow: maths in an answer shows as TeX.
   JupyterLab's own pages keep Jupyter's default policy (JupyterLab needs its scripts); its
   notebook and HTML viewers already sanitise untrusted content.
3. **No terminals** (``ServerApp.terminals_enabled = False``): ``/api/terminals`` answers 404.

Left as they are: opening the *live* notebook from formgrader runs nothing by itself (nbgrader
does not sign notebooks, and JupyterLab does not trust an unsigned one), but running its cells
runs the student's code as the lecturer, unsandboxed. Formgrader's list pages show student ids
and names as text (its scripts escape them).
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import sys
from pathlib import Path

import bleach
from bleach.css_sanitizer import ALLOWED_CSS_PROPERTIES, CSSSanitizer
from nbconvert.filters.strings import strip_files_prefix
from nbconvert.preprocessors.sanitize import SanitizeHTML

# ---------------------------------------------------------------------------------------------
# 1. Sanitising students' HTML (outputs and written answers)
# ---------------------------------------------------------------------------------------------

#: Tags a student's output or written answer may use: text, lists, tables, images, code.
TAGS = ["a", "abbr", "acronym", "b", "blockquote", "br", "caption", "cite", "code", "col",
        "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
        "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
        "pre", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "summary", "sup",
        "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul", "var"]

#: Class names that may stay: pygments' short token classes (``k``, ``s2``, ``nf``...) and
#: nbconvert's heading anchors. Anything else (``score``, ``comment``, ``tabbable``, ``help``,
#: bootstrap's layout classes...) could confuse formgrader's scripts or layout and is dropped.
_SAFE_CLASS = re.compile(r"^(?:[a-z]{1,3}[0-9]?|highlight|hll|anchor-link|dataframe)$")
_CELL_ATTRS = {"align", "valign", "colspan", "rowspan"}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": _CELL_ATTRS, "th": _CELL_ATTRS | {"scope"}, "tr": {"align", "valign"},
    "table": {"border"}, "col": {"span"}, "colgroup": {"span"},
    "ol": {"start", "type"}, "details": {"open"},
    "abbr": {"title"}, "acronym": {"title"},
}
_EVERYWHERE = {"title", "lang", "dir", "style"}


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if name == "class":
        return all(_SAFE_CLASS.match(token) for token in value.split())
    return name in _EVERYWHERE or name in _ATTRIBUTES.get(tag, ())


_CSS = CSSSanitizer(allowed_css_properties=ALLOWED_CSS_PROPERTIES)  # bleach's list: no position


_STYLE_ELEMENT = re.compile(r"<style\b[^>]*>.*?</style\s*>", re.DOTALL | re.IGNORECASE)


def sanitize(html: str) -> str:
    """``html`` with only :data:`TAGS` and harmless attributes left (no ``on...``, no ``id``, URLs
    only ``http(s)``, ``mailto``, ``data`` or relative, styles from bleach's list); any other
    markup is escaped, so it shows as text. ``<style>`` blocks (pandas puts one before every
    table) are dropped first: shown as text they would only clutter the page."""
    html = _STYLE_ELEMENT.sub("", str(html))
    return bleach.clean(html, tags=TAGS, attributes=_allowed_attribute,
                        protocols=["http", "https", "mailto", "data"], css_sanitizer=_CSS,
                        strip=False, strip_comments=True)


def strip_files_prefix_and_sanitize(text: str) -> str:
    """nbconvert's ``strip_files_prefix`` filter, then :func:`sanitize`.

    Both the ``formgrade`` and the ``feedback`` template render a markdown cell (and a grader's
    comment) as ``source | markdown2html | strip_files_prefix``; registering this function as
    ``c.HTMLExporter.filters["strip_files_prefix"]`` cleans the HTML the markdown became (so the
    markdown keeps its quotes, code and maths), whatever the template's own sanitising does."""
    return sanitize(strip_files_prefix(text))


class SanitizeStudentOutput(SanitizeHTML):
    """nbconvert's ``SanitizeHTML`` preprocessor with :func:`sanitize` as its cleaner.

    Code cells: ``text/html`` and ``text/markdown`` outputs are cleaned; plain text, LaTeX,
    JSON, PNG and JPEG stay (the template escapes them); every other mime type
    (``application/javascript``, ``image/svg+xml``, widget views...) is removed, leaving the
    output's plain-text form. Raw cells are cleaned. Markdown cells are left to
    :func:`strip_files_prefix_and_sanitize`, which cleans them after rendering."""

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.cell_type == "markdown":
            return cell, resources
        return super().preprocess_cell(cell, resources, cell_index)

    def sanitize_html_tags(self, html_str):
        return sanitize(html_str)


#: The nbconvert settings of layer 1, as ``(class, trait, value)``: ``nbgrader_config.py`` sets
#: the same (its section "Students' HTML is never run") and :func:`command` passes them on.
EXPORTER_SETTINGS = [
    ("HTMLExporter", "preprocessors", ["welfaregrading.formgrader.SanitizeStudentOutput"]),
    ("HTMLExporter", "filters",
     {"strip_files_prefix": "welfaregrading.formgrader.strip_files_prefix_and_sanitize"}),
]


# ---------------------------------------------------------------------------------------------
# 2. Content-Security-Policy on formgrader's submission pages (a jupyter_server extension)
# ---------------------------------------------------------------------------------------------

def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
_EXPRESSION = re.compile(r"{{.*?}}", re.DOTALL)
_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*"([^"]*)\"""", re.IGNORECASE)


def _formgrade_templates() -> list[Path]:
    from nbgrader.server_extensions.formgrader import handlers

    return sorted((Path(handlers.template_path) / "formgrade").glob("*.j2"))


def template_scripts() -> tuple[list[re.Pattern], list[str]]:
    """What nbgrader's ``formgrade`` template itself runs: one pattern per inline ``<script>``
    (its text, each ``{{ ... }}`` standing for a value without quotes, angle brackets, backslashes
    or line breaks) and the text of each ``on...="..."`` handler attribute."""
    patterns, handlers_ = [], []
    for path in _formgrade_templates():
        text = path.read_text(encoding="utf-8")
        for attrs, body in _SCRIPT.findall(text):
            if "src=" in attrs or "{%" in body:
                continue
            parts = _EXPRESSION.split(body)
            patterns.append(re.compile(r"[^\"'<>\\\n]*".join(re.escape(p) for p in parts), re.DOTALL))
        handlers_ += [h for h in _HANDLER.findall(text) if "{{" not in h and "{%" not in h]
    return patterns, sorted(set(handlers_))


def _is_javascript(attrs: str) -> bool:
    kind = re.search(r"""\btype\s*=\s*["']?([^"'\s>]+)""", attrs, re.IGNORECASE)
    return kind is None or kind.group(1).lower() in ("text/javascript", "application/javascript",
                                                     "module")


def page_policy(html: str, static_url: str, patterns, handlers_) -> str:
    """The Content-Security-Policy of one rendered submission page: scripts only from
    ``static_url`` (formgrader's own files) and the inline scripts of ``html`` that are exactly
    one of the template's (``patterns``, allowed by their hash) and its ``on...`` handlers."""
    allowed = []
    for attrs, body in _SCRIPT.findall(html):
        if "src=" not in attrs.lower() and _is_javascript(attrs) \
                and any(p.fullmatch(body) for p in patterns):
            allowed.append(_sha256(body))
    hashes = sorted(set(allowed))
    script = ["'report-sample'", static_url, *hashes]  # a blocked script's start in reports
    if handlers_:
        script += ["'unsafe-hashes'", *(_sha256(h) for h in handlers_)]
    return "; ".join([
        "default-src 'none'",
        "script-src " + " ".join(script),
        "style-src 'self' 'unsafe-inline'",  # nbconvert's and bootstrap's CSS; styles run nothing
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",  # formgrader saves scores and comments through its own API
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
        "frame-src 'none'",
        "frame-ancestors 'self'",  # JupyterLab may show formgrader in a frame
    ])


#: For a file a submission brings along (an image, or an HTML page a student hoped the grader
#: would open): no script, in no origin.
FILE_POLICY = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'"


def policy_transform(base_url: str):
    """A tornado output transform that puts the policies above on ``/formgrader/submissions/``."""
    import tornado.web

    prefix = base_url.rstrip("/") + "/formgrader/submissions/"
    page = re.compile(re.escape(prefix) + r"[^/]+/?$")
    static_path = base_url.rstrip("/") + "/formgrader/static/"
    patterns, handlers_ = template_scripts()

    class SubmissionPagePolicy(tornado.web.OutputTransform):
        """Content-Security-Policy of formgrader's submission pages and of their files."""

        def __init__(self, request):
            self.request = request
            self.page = page.match(request.path) is not None
            if self.page:
                # Never "304 Not Modified": it would carry Jupyter's default policy, not this
                # page's, and a browser keeps the headers of a 304 with the cached page.
                request.headers.pop("If-None-Match", None)

        def transform_first_chunk(self, status_code, headers, chunk, finishing):
            path = self.request.path
            if path.startswith(prefix) and not path.startswith(prefix + "components/"):
                if self.page:
                    static_url = f"{self.request.protocol}://{self.request.host}{static_path}"
                    # The whole page is one chunk; anything else gets no inline script at all.
                    html = chunk.decode("utf-8", errors="replace") \
                        if finishing and status_code < 300 else ""
                    headers["Content-Security-Policy"] = page_policy(html, static_url, patterns,
                                                                     handlers_)
                    headers["Cache-Control"] = "no-store"
                    headers.pop("Etag", None)
                else:
                    headers["Content-Security-Policy"] = FILE_POLICY
                headers["X-Content-Type-Options"] = "nosniff"
            return status_code, headers, chunk

    return SubmissionPagePolicy


def _jupyter_server_extension_points():
    return [{"module": "welfaregrading.formgrader"}]


def _load_jupyter_server_extension(serverapp):
    # First, so that it sees the page as written (before any compression transform).
    serverapp.web_app.transforms.insert(0, policy_transform(serverapp.base_url))
    patterns, handlers_ = template_scripts()
    serverapp.log.info("welfaregrading.formgrader: Content-Security-Policy on formgrader's "
                       "submission pages (%d template scripts, %d handlers allowed)",
                       len(patterns), len(handlers_))


# ---------------------------------------------------------------------------------------------
# 3. The command: JupyterLab with formgrader, all of the above, no terminals
# ---------------------------------------------------------------------------------------------

def _cli(cls: str, trait: str, value) -> str:
    """``--Class.trait=value`` in traitlets' command-line syntax (``key=value`` for a dict)."""
    if isinstance(value, dict):
        value = " ".join(f"{k}={v}" for k, v in value.items())
    elif isinstance(value, list):
        value = " ".join(value)
    return f"--{cls}.{trait}={value}"


#: The course's own exchange folder (``<course>/exchange``, never committed: .gitignore),
#: used when ``nbgrader_config.py`` names none.
EXCHANGE = "exchange"


def exchange_root(course: Path) -> Path:
    """The nbgrader exchange folder formgrader should use for ``course``: the course config's
    ``c.Exchange.root`` when it sets one (a multi-user course, deploy/), else ``<course>/exchange``,
    created here (mode 0o755: only the lecturer writes to it) so that it exists.

    nbgrader's default, ``/usr/local/share/nbgrader/exchange``, usually does not exist on a
    lecturer's machine; then formgrader's NbGraderAPI, built for every page, runs the exchange's
    ``ensure_root`` check (nbgrader/exchange/default/exchange.py) and logs "Unwritable directory,
    please contact your instructor" each time. Raises ``NotADirectoryError`` when
    ``<course>/exchange`` exists but is not a folder of its own (e.g. a link)."""
    from welfaregrading.course import course_config

    course = Path(course).resolve()
    configured = course_config(course).get("Exchange", {}).get("root")
    if configured:
        return Path(configured)
    folder = course / EXCHANGE
    if os.path.lexists(folder) and (os.path.islink(folder) or not folder.is_dir()):
        raise NotADirectoryError(f"{folder} is not a folder (a link or a file?): remove it, or "
                                 "set c.Exchange.root in nbgrader_config.py")
    folder.mkdir(mode=0o755, exist_ok=True)
    return folder


def command(port: int = 8888, extra: list[str] | None = None,
            course: Path | None = None) -> list[str]:
    """The ``jupyter lab`` command line of ``make formgrader`` (run it in the course folder,
    ``course``, default: the current folder), with the exchange of :func:`exchange_root`."""
    cmd = [str(Path(sys.executable).with_name("jupyter")), "lab",
           "--ip=127.0.0.1", f"--port={port}",
           "--ServerApp.root_dir=.", "--LabApp.default_url=/formgrader",
           "--ServerApp.terminals_enabled=False",
           "--ServerApp.jpserver_extensions=welfaregrading.formgrader=True",
           f"--Exchange.root={exchange_root(Path(course) if course else Path.cwd())}"]
    cmd += [_cli(cls, trait, value) for cls, trait, value in EXPORTER_SETTINGS]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    return cmd + list(extra or [])


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m welfaregrading.formgrader",
        description="JupyterLab's formgrader for the course in the current folder, with students' "
                    "HTML sanitised, a Content-Security-Policy on submission pages and no "
                    "terminals. Other arguments go to jupyter lab.")
    parser.add_argument("--port", type=int, default=8888)
    args, extra = parser.parse_known_args(argv)
    cmd = command(args.port, extra)
    from welfaregrading.course import venv_on_path
    from welfaregrading.runfiles import quiet_known_warnings

    venv_on_path()  # nbgrader runs `alembic` by name when it creates a course's gradebook
    quiet_known_warnings()  # (PYTHONWARNINGS, for the server that replaces this process)
    os.execv(cmd[0], cmd)  # same process: stopping it stops JupyterLab


if __name__ == "__main__":
    main()
