"""Business model canvases to fill in block by block, print as one page, and save as JSON.

Two canvases, each a fixed list of blocks. A block has an id (the snake_case name you type),
a title (what people read) and a prompt (the question a student answers in that block).

* :class:`BusinessModelCanvas`: the 9 blocks of the Business Model Canvas.
  Source: A. Osterwalder & Y. Pigneur (2010), *Business Model Generation*, Wiley; the canvas
  itself is published by Strategyzer under CC BY-SA 3.0.
* :class:`SocialBusinessModelCanvas`: the 13 blocks of the Social Business Model Canvas, which
  separates beneficiaries (who are helped) from customers (who pay), and adds a social value
  proposition, impact measures, the type of intervention and what happens to the surplus.
  Source: Social Innovation Lab / Tandemic, *Social Business Model Canvas*.

Typical use in a notebook::

    from welfarelab.canvas import SocialBusinessModelCanvas
    canvas = SocialBusinessModelCanvas(title="Buddy project for young carers")
    canvas["beneficiary_segments"] = "Young carers aged 12-18 in Ghent"
    canvas.empty_blocks()          # the blocks still to fill in
    canvas.to_figure()             # the one-page canvas
    canvas.save("my_canvas.json")  # and SocialBusinessModelCanvas.load("my_canvas.json")

Texts are plain strings (Markdown is fine). A list of strings is accepted too: each item is
one "sticky note" and is stored as a Markdown bullet (``"- item"``) on its own line.

matplotlib is imported only inside :meth:`to_figure`, so importing this module stays fast.
"""

from __future__ import annotations

import json
import os
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from .i18n import N_, _

#: Version of the JSON file format written by :meth:`save`. Files of a higher version are refused.
FORMAT_VERSION = 1

#: Okabe & Ito (2008) colour-blind-safe colours used to group the blocks on the figure.
_GROUP_COLOURS = {
    "infrastructure": "#0072B2",  # blue
    "offer": "#D55E00",  # vermillion
    "people": "#009E73",  # bluish green
    "delivery": "#56B4E9",  # sky blue
    "money": "#E69F00",  # orange
}

#: Width and height of the canvas grid, in grid units (the ``box`` of every block uses them).
GRID_WIDTH = 10.0
GRID_HEIGHT = 3.0


@dataclass(frozen=True)
class Block:
    """One block of a canvas.

    Attributes:
        id: the name to type in code, in snake_case, e.g. ``"key_partners"``; the same in
            every language (saved files hold ids).
        title_en: the name people read, in English as written in the code, e.g.
            ``"Key partners"``; :attr:`title` gives it in the language in use.
        prompt_en: the question a student answers in this block (one line), in English;
            :attr:`prompt` gives it in the language in use.
        box: where the block sits on the canvas grid: ``(x, y, width, height)`` in grid units,
            with (0, 0) the bottom-left corner of a grid of 10 by 3 units.
        group: which colour group the block belongs to on the figure (not a meaning in itself;
            the title always names the block).
    """

    id: str
    title_en: str
    prompt_en: str
    box: tuple[float, float, float, float]
    group: str

    @property
    def title(self) -> str:
        """The name people read, in the language in use: ``"Key partners"`` in English,
        ``"Kernpartners"`` in Dutch (see :func:`welfarelab.set_language`)."""
        return _(self.title_en)

    @property
    def prompt(self) -> str:
        """The block's question in the language in use."""
        return _(self.prompt_en)

    @property
    def shown_title(self) -> str:
        """The same as :attr:`title` (the name other welfarelab parts use for a text shown in
        the language in use)."""
        return self.title

    @property
    def shown_prompt(self) -> str:
        """The same as :attr:`prompt`."""
        return self.prompt


def _normalise(name: str) -> str:
    """Lower case, with runs of spaces, hyphens and colons turned into one underscore."""
    return re.sub(r"[\s\-:]+", "_", name.strip().lower()).strip("_")


@dataclass(repr=False)
class _Canvas:
    """Shared behaviour of the canvases. Use :class:`BusinessModelCanvas` or
    :class:`SocialBusinessModelCanvas`; this base class has no blocks of its own."""

    title: str = ""
    texts: dict[str, str] = field(default_factory=dict)

    KIND: ClassVar[str] = ""
    NAME: ClassVar[str] = ""
    SOURCE: ClassVar[str] = ""
    BLOCKS: ClassVar[tuple[Block, ...]] = ()

    def __post_init__(self):
        if not self.BLOCKS:
            raise TypeError(_("Use BusinessModelCanvas() or SocialBusinessModelCanvas()."))
        if self.title is None:
            self.title = ""
        if not isinstance(self.title, str):
            raise TypeError(
                _("The title of the canvas must be text (the name of your idea, in quotes), "
                  "but it is {value} ({kind}).").format(value=repr(self.title),
                                                        kind=type(self.title).__name__)
            )
        self.title = self.title.strip()
        given = self.texts
        if given is None:
            given = {}
        if not isinstance(given, dict):
            raise TypeError(
                _("texts must be a dictionary of block id -> text, for example "
                  "{example}.").format(example=f"{{'{self.BLOCKS[0].id}': 'your text'}}")
            )
        self.texts = {block.id: "" for block in self.BLOCKS}
        for block_id, text in given.items():
            self.fill(block_id, text)

    # ------------------------------------------------------------------ the blocks

    @classmethod
    def block_ids(cls) -> list[str]:
        """The block ids, in canvas order."""
        return [block.id for block in cls.BLOCKS]

    @classmethod
    def block(cls, block_id: str) -> Block:
        """The :class:`Block` with this id (or title, in English or in the language in use,
        ignoring case and spaces).

        Raises:
            ValueError: no such block; the message lists the valid ids.
            TypeError: ``block_id`` is not text.
        """
        if not isinstance(block_id, str):
            raise TypeError(
                _("A block id must be text in quotes, such as {example}, but it is {value} "
                  "({kind}).").format(example=f"'{cls.BLOCKS[0].id}'", value=repr(block_id),
                                      kind=type(block_id).__name__)
            )
        wanted = _normalise(block_id)
        for block in cls.BLOCKS:
            if wanted in (block.id, _normalise(block.title_en), _normalise(block.title)):
                return block
        raise ValueError(
            _("The {canvas} has no block called {name}. The blocks are: {ids}.").format(
                canvas=cls.shown_name(), name=repr(block_id), ids=", ".join(cls.block_ids()))
        )

    @classmethod
    def shown_name(cls) -> str:
        """The canvas's name in the language in use (:attr:`NAME` stays English)."""
        return _(cls.NAME)

    @classmethod
    def shown_source(cls) -> str:
        """The canvas's source in the language in use (:attr:`SOURCE` stays English)."""
        return _(cls.SOURCE)

    def fill(self, block_id: str, text) -> None:
        """Write the text of one block (it replaces what was there).

        Args:
            block_id: a block id such as ``"value_propositions"``; the block's title
                (``"Value propositions"``) works too, ignoring upper/lower case.
            text: a string (Markdown is fine), or a list of strings, one per sticky note,
                stored as Markdown bullets. ``""`` or ``None`` empties the block.

        Raises:
            ValueError: unknown block; the message lists the valid ids.
            TypeError: the text is not a string or a list of strings.
        """
        block = self.block(block_id)
        self.texts[block.id] = self._clean_text(text, block)

    def __setitem__(self, block_id: str, text) -> None:
        self.fill(block_id, text)

    def __getitem__(self, block_id: str) -> str:
        return self.texts[self.block(block_id).id]

    def __iter__(self):
        """Iterate over the block ids, in canvas order (like a dictionary's keys)."""
        return iter(self.block_ids())

    @staticmethod
    def _clean_text(text, block: Block) -> str:
        if text is None:
            return ""
        if isinstance(text, (list, tuple)):
            notes = []
            for i, note in enumerate(text, start=1):
                if not isinstance(note, str):
                    raise TypeError(
                        _("Sticky note number {number} of block {id} ({title}) must be text "
                          "in quotes, but it is {value} ({kind}).").format(
                            number=i, id=f"'{block.id}'", title=block.title,
                            value=repr(note), kind=type(note).__name__)
                    )
                if note.strip():
                    notes.append(f"- {note.strip()}")
            return "\n".join(notes)
        if not isinstance(text, str):
            raise TypeError(
                _("The text of block {id} ({title}) must be text in quotes (or a list of "
                  "texts), but it is {value} ({kind}).").format(
                    id=f"'{block.id}'", title=block.title, value=repr(text),
                    kind=type(text).__name__)
            )
        return text.strip()

    def empty_blocks(self) -> list[str]:
        """Ids of the blocks that are still empty (blank or only spaces), in canvas order."""
        return [block.id for block in self.BLOCKS if not self.texts[block.id].strip()]

    @property
    def is_complete(self) -> bool:
        """True when every block has some text."""
        return not self.empty_blocks()

    # ------------------------------------------------------------------ views

    def __repr__(self) -> str:
        filled = len(self.BLOCKS) - len(self.empty_blocks())
        # the class name and the title stay as code writes them; the count is in words
        return "{name}(title={title}, {filled})".format(
            name=type(self).__name__, title=repr(self.title),
            filled=_("{filled} of {total} blocks filled").format(
                filled=filled, total=len(self.BLOCKS)))

    def to_markdown(self) -> str:
        """The canvas as Markdown text: a level-1 heading with the canvas name and title, then a
        level-2 heading per block (its title) in canvas order, followed by its text. An empty
        block shows its prompt in italics instead.

        Returns:
            str, Markdown. Jupyter uses it to show a canvas that is the last line of a cell.
        """
        name = self.shown_name()
        heading = f"# {name}: {self.title}" if self.title else f"# {name}"
        parts = [heading, ""]
        for block in self.BLOCKS:
            text = self.texts[block.id].strip()
            empty = "*" + _("Not filled in yet: {prompt}").format(prompt=block.prompt) + "*"
            parts += [f"## {block.title}", "", text if text else empty, ""]
        parts.append("<small>" + _("Source of the canvas: {source}").format(
            source=self.shown_source()) + "</small>")
        return "\n".join(parts) + "\n"

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def to_figure(self, figsize: tuple[float, float] = (16.54, 11.69)):
        """Draw the canvas on one page, laid out like the printed canvas.

        Each block is a box with its title in bold and its text wrapped to fit; the letters
        shrink (down to 5 points) for long texts, and text that still does not fit is cut off
        with "…" (the full text stays in :meth:`to_markdown`). An empty block shows its prompt
        in grey italics, so the figure of an empty canvas is a worksheet. Colours come from the
        Okabe–Ito colour-blind-safe palette and only group the blocks; titles name them.

        Args:
            figsize: (width, height) in inches; default A3 landscape.

        Returns:
            matplotlib ``Figure``. It is closed in pyplot, so it appears once when it is the
            last line of a cell (or with ``display(fig)``); save it with
            ``fig.savefig("canvas.png")``. Every block title is a text with ``gid``
            ``"title:<block id>"`` and every block text one with ``gid`` ``"text:<block id>"``.

        Raises:
            ValueError: ``figsize`` is not two positive numbers.
        """
        from . import validation as check

        if not isinstance(figsize, (tuple, list)) or len(figsize) != 2:
            raise ValueError(_("figsize must be two numbers: (width, height) in inches."))
        fig_w = check.positive(figsize[0], _("figure width (inches)"))
        fig_h = check.positive(figsize[1], _("figure height (inches)"))

        import matplotlib.pyplot as plt
        from matplotlib.backends.backend_agg import RendererAgg
        from matplotlib.patches import Rectangle

        fig = plt.figure(figsize=(fig_w, fig_h))
        left, bottom, width, height = 0.02, 0.04, 0.96, 0.88
        ax = fig.add_axes((left, bottom, width, height))
        ax.set_xlim(0, GRID_WIDTH)
        ax.set_ylim(0, GRID_HEIGHT)
        ax.set_axis_off()
        inch_x = fig_w * width / GRID_WIDTH  # inches per grid unit, across
        inch_y = fig_h * height / GRID_HEIGHT  # inches per grid unit, up
        pad = 0.08  # inches
        # Measure text with an Agg renderer of the same size, whatever backend is active.
        renderer = RendererAgg(int(fig_w * fig.dpi), int(fig_h * fig.dpi), fig.dpi)

        for block in self.BLOCKS:
            x, y, w, h = block.box
            colour = _GROUP_COLOURS[block.group]
            rect = Rectangle((x, y), w, h, facecolor=colour, alpha=0.12, edgecolor="none")
            ax.add_patch(rect)
            frame = Rectangle((x, y), w, h, facecolor="none", edgecolor=colour, linewidth=2)
            ax.add_patch(frame)
            title_size = 11
            ax.text(x + pad / inch_x, y + h - pad / inch_y, block.title, ha="left",
                    va="top",
                    fontsize=title_size, fontweight="bold", color="black",
                    gid=f"title:{block.id}")
            text = self.texts[block.id].strip()
            empty = not text
            body_top = y + h - (2 * pad + title_size * 1.4 / 72) / inch_y
            avail_w = w * inch_x - 2 * pad
            avail_h = (body_top - y) * inch_y - pad
            body = ax.text(x + pad / inch_x, body_top, "", ha="left", va="top",
                           linespacing=1.25, color="#555555" if empty else "black",
                           fontstyle="italic" if empty else "normal", gid=f"text:{block.id}",
                           clip_on=True)
            body.set_clip_path(frame)
            _fit_text(body, block.prompt if empty else text, avail_w * fig.dpi,
                      avail_h * fig.dpi, renderer)

        name = self.shown_name()
        heading = f"{name}: {self.title}" if self.title else name
        fig.suptitle(heading, x=0.02, y=0.975, ha="left", fontsize=16, fontweight="bold")
        fig.text(0.02, 0.012, _("Canvas: {source}").format(source=self.shown_source()),
                 fontsize=7, color="#555555")
        plt.close(fig)
        return fig

    # ------------------------------------------------------------------ saving and loading

    def to_dict(self) -> dict:
        """The canvas as a plain dictionary, ready for JSON.

        Returns:
            ``{"kind": ..., "version": 1, "title": str, "blocks": {block id: text}}`` with every
            block id present, in canvas order.
        """
        return {
            "kind": self.KIND,
            "version": FORMAT_VERSION,
            "title": self.title,
            "blocks": {block.id: self.texts[block.id] for block in self.BLOCKS},
        }

    @classmethod
    def from_dict(cls, data: dict):
        """Make a canvas from a dictionary made by :meth:`to_dict`.

        Raises:
            TypeError: ``data`` is not a dictionary, or a text is not a string.
            ValueError: ``"kind"`` is missing or belongs to the other canvas, the ``"version"``
                is newer than this welfarelab understands, or a block id is unknown.
        """
        if not isinstance(data, dict):
            raise TypeError(_("A {canvas} must be read from a dictionary (JSON object), but "
                              "this is {kind} {value}.").format(
                canvas=cls.shown_name(), kind=type(data).__name__, value=f"{data!r:.60}"))
        kind = data.get("kind")
        if kind != cls.KIND:
            other = next((c for c in _KINDS.values() if c.KIND == kind), None)
            if other is not None:
                raise ValueError(
                    _("This holds a {other}, not a {canvas}. Load it with {load} (or "
                      "load_canvas(...)).").format(other=other.shown_name(),
                                                   canvas=cls.shown_name(),
                                                   load=f"{other.__name__}.load(...)")
                )
            raise ValueError(
                _("This is not a {canvas}: its \"kind\" is {kind}, expected {expected}.").format(
                    canvas=cls.shown_name(), kind=repr(kind), expected=repr(cls.KIND))
            )
        version = data.get("version")
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise ValueError(_("The \"version\" must be a whole number from 1, not "
                               "{value}.").format(value=repr(version)))
        if version > FORMAT_VERSION:
            raise ValueError(
                _("This canvas was saved by a newer welfarelab (format version {version}); "
                  "this one reads up to version {supported}. Update welfarelab.").format(
                    version=version, supported=FORMAT_VERSION)
            )
        blocks = data.get("blocks", {})
        if not isinstance(blocks, dict):
            raise TypeError(_("\"blocks\" must be a dictionary of block id -> text."))
        unknown = [key for key in blocks if key not in cls.block_ids()]
        if unknown:
            raise ValueError(
                _("Unknown block(s) {names} for a {canvas}. The blocks are: {ids}.").format(
                    names=", ".join(map(repr, unknown)), canvas=cls.shown_name(),
                    ids=", ".join(cls.block_ids()))
            )
        return cls(title=data.get("title", ""), texts=dict(blocks))

    def save(self, path) -> Path:
        """Save the canvas as a JSON file (UTF-8), replacing the file if it exists.

        Args:
            path: file name or path, e.g. ``"my_canvas.json"``.

        Returns:
            The path written, as a ``pathlib.Path``.

        Raises:
            TypeError: ``path`` is not a file name.
            OSError: the folder does not exist or cannot be written.
        """
        path = _as_path(path)
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n",
                        encoding="utf-8")
        return path

    @classmethod
    def load(cls, path):
        """Read a canvas saved with :meth:`save`.

        Args:
            path: file name or path of a JSON file.

        Returns:
            A canvas of this class.

        Raises:
            ValueError: the file is not valid JSON, is not a canvas, holds the other kind of
                canvas, or holds an unknown block; the message names the file.
            FileNotFoundError: there is no such file.
        """
        path = _as_path(path)
        raw = path.read_text(encoding="utf-8", errors="replace")
        try:
            return cls.from_dict(_parse_json(raw))
        except (TypeError, ValueError) as error:
            raise ValueError(_("Cannot load {path}: {problem}").format(
                path=repr(str(path)), problem=error)) from None


def _as_path(path) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(_("path must be a file name such as 'my_canvas.json', not "
                          "{value}.").format(value=repr(path)))
    return Path(path)


def _parse_json(raw: str):
    """The JSON value of ``raw``; ValueError in words (no file name) if it is not JSON."""
    try:
        return json.loads(raw)
    except json.JSONDecodeError as error:
        raise ValueError(
            _("it is not a canvas file (it is not valid JSON; the problem is at line {line}, "
              "column {column}).").format(line=error.lineno, column=error.colno)
        ) from None


def _fit_text(artist, text: str, avail_w: float, avail_h: float, renderer) -> None:
    """Wrap ``text`` into the Text ``artist`` so that it fits ``avail_w`` by ``avail_h`` pixels.

    Tries letter sizes from 10 down to 5 points and keeps the largest at which the wrapped text
    fits, measured by matplotlib; at 5 points the lines that do not fit are cut off with "…".
    """
    size = 10.0
    while True:
        artist.set_fontsize(size)
        dpi = artist.figure.dpi
        chars = max(int(avail_w / (size / 72 * dpi * 0.5)), 8)  # a little optimistic
        lines = _wrap(text, chars)
        if len(lines) * size * 1.2 / 72 * dpi > avail_h and size > 5:
            size -= 0.5  # cannot fit even with the narrowest letters: skip measuring
            continue
        while True:  # narrow the lines until the widest one fits
            lines = _wrap(text, chars)
            artist.set_text("\n".join(lines))
            extent = artist.get_window_extent(renderer)
            if extent.width <= avail_w or chars <= 8:
                break
            chars = max(int(chars * avail_w / extent.width) - 1, 8)
        if extent.height <= avail_h:
            return
        if size <= 5:
            line_h = extent.height / max(len(lines), 1)
            kept = lines[: max(int(avail_h / line_h), 1)]
            kept[-1] = kept[-1][: max(len(kept[-1]) - 1, 1)].rstrip() + "…"
            artist.set_text("\n".join(kept))
            return
        size -= 0.5


def _wrap(text: str, chars: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines():
        bullet = re.match(r"\s*([-*•]|\d+[.)])\s+", paragraph)
        indent = " " * len(bullet.group(0)) if bullet else ""
        lines += textwrap.wrap(paragraph, chars, subsequent_indent=indent) or [""]
    return lines


# Layout on a 10 x 3 grid: the top two units hold the blocks, the bottom unit money.
_BMC_BLOCKS = (
    Block("key_partners", N_("Key partners"),
          N_("Who do you need to work with (partners, suppliers), and what do they do for you?"),
          (0, 1, 2, 2), "infrastructure"),
    Block("key_activities", N_("Key activities"),
          N_("What are the most important things you must do to deliver your value proposition?"),
          (2, 2, 2, 1), "infrastructure"),
    Block("key_resources", N_("Key resources"),
          N_("What do you need to do it: people, money, rooms, knowledge, equipment, permits?"),
          (2, 1, 2, 1), "infrastructure"),
    Block("value_propositions", N_("Value propositions"),
          N_("Which problem do you solve, or which need do you meet, for each customer segment?"),
          (4, 1, 2, 2), "offer"),
    Block("customer_relationships", N_("Customer relationships"),
          N_("What relationship does each segment expect: personal help, self-service, "
             "community?"),
          (6, 2, 2, 1), "people"),
    Block("channels", N_("Channels"),
          N_("How do you reach your segments and deliver your offer to them?"),
          (6, 1, 2, 1), "people"),
    Block("customer_segments", N_("Customer segments"),
          N_("For whom do you create value? Who are your most important customers?"),
          (8, 1, 2, 2), "people"),
    Block("cost_structure", N_("Cost structure"),
          N_("What are the biggest costs? Which resources and activities cost the most?"),
          (0, 0, 5, 1), "money"),
    Block("revenue_streams", N_("Revenue streams"),
          N_("Who pays for what value, and how (fees, sales, subsidies, donations)?"),
          (5, 0, 5, 1), "money"),
)

_THIRD = 2 / 3
_SBMC_BLOCKS = (
    Block("key_resources", N_("Key resources"),
          N_("What do you need to run your activities: people, money, places, access, skills?"),
          (0, 2, 2, 1), "infrastructure"),
    Block("key_activities", N_("Key activities"),
          N_("What will your organisation do, both in the programme and to keep itself running?"),
          (2, 1, 2, 2), "infrastructure"),
    Block("partners_key_stakeholders", N_("Partners + key stakeholders"),
          N_("Whom must you involve to deliver, and whose support or permission do you need?"),
          (0, 1, 2, 1), "infrastructure"),
    Block("type_of_intervention", N_("Type of intervention"),
          N_("What form does your help take: a service, a workshop, a product, a place, "
             "a network?"),
          (4, 2, 2, 1), "delivery"),
    Block("beneficiary_segments", N_("Segments: beneficiaries"),
          N_("Who are the people or groups you help? (They may pay nothing.)"),
          (6, 2, 2, 1), "people"),
    Block("customer_segments", N_("Segments: customers"),
          N_("Who pays for your work: the people helped, a government, a funder, a company?"),
          (6, 1, 2, 1), "people"),
    Block("channels", N_("Channels"),
          N_("How do you reach your beneficiaries and your customers?"),
          (4, 1, 2, 1), "delivery"),
    Block("social_value_proposition", N_("Social value proposition"),
          N_("What change do you bring about for your beneficiaries and for society?"),
          (8, 1 + 2 * _THIRD, 2, _THIRD), "offer"),
    Block("impact_measures", N_("Impact measures"),
          N_("How will you show that the change happens? What do you count or ask?"),
          (8, 1 + _THIRD, 2, _THIRD), "offer"),
    Block("customer_value_proposition", N_("Customer value proposition"),
          N_("What do your paying customers want to get out of it?"),
          (8, 1, 2, _THIRD), "offer"),
    Block("cost_structure", N_("Cost structure"),
          N_("What are your biggest costs, and how do they change when you grow?"),
          (0, 0, 4, 1), "money"),
    Block("surplus", N_("Surplus"),
          N_("If money is left over, what will you do with it? (A VZW may not pay out profits.)"),
          (4, 0, 2, 1), "money"),
    Block("revenue", N_("Revenue"),
          N_("Where does the money come from? Give each source as a share of the total."),
          (6, 0, 4, 1), "money"),
)


@dataclass(repr=False)
class BusinessModelCanvas(_Canvas):
    """The Business Model Canvas: 9 blocks (Osterwalder & Pigneur 2010).

    Blocks, in canvas order (ids): key_partners, key_activities, key_resources,
    value_propositions, customer_relationships, channels, customer_segments, cost_structure,
    revenue_streams. See :meth:`block` for each block's title and prompt.

    Args:
        title: optional name of the idea (text).
        texts: optional dictionary of block id -> text to start with.

    Raises:
        ValueError: an unknown block id in ``texts`` (the message lists the valid ids).
        TypeError: a title or text that is not a string.

    Source: A. Osterwalder & Y. Pigneur (2010), *Business Model Generation*, Wiley;
    canvas by Strategyzer, CC BY-SA 3.0.
    """

    KIND: ClassVar[str] = "business_model_canvas"
    NAME: ClassVar[str] = N_("Business Model Canvas")
    SOURCE: ClassVar[str] = N_("Business Model Canvas, Osterwalder & Pigneur (2010), "
                               "Business Model Generation; Strategyzer, CC BY-SA 3.0")
    BLOCKS: ClassVar[tuple[Block, ...]] = _BMC_BLOCKS


@dataclass(repr=False)
class SocialBusinessModelCanvas(_Canvas):
    """The Social Business Model Canvas: 13 blocks (Social Innovation Lab / Tandemic).

    It splits segments into beneficiaries (who are helped) and customers (who pay), and value
    into a social and a customer value proposition, and adds impact measures, the type of
    intervention and the surplus.

    Blocks, in canvas order (ids): key_resources, key_activities, partners_key_stakeholders,
    type_of_intervention, beneficiary_segments, customer_segments, channels,
    social_value_proposition, impact_measures, customer_value_proposition, cost_structure,
    surplus, revenue. See :meth:`block` for each block's title and prompt.

    Args:
        title: optional name of the idea (text).
        texts: optional dictionary of block id -> text to start with.

    Raises:
        ValueError: an unknown block id in ``texts`` (the message lists the valid ids).
        TypeError: a title or text that is not a string.

    Source: Social Innovation Lab / Tandemic, *Social Business Model Canvas*, adapted from
    Osterwalder & Pigneur (2010).
    """

    KIND: ClassVar[str] = "social_business_model_canvas"
    NAME: ClassVar[str] = N_("Social Business Model Canvas")
    SOURCE: ClassVar[str] = N_("Social Business Model Canvas, Social Innovation Lab / "
                               "Tandemic, after Osterwalder & Pigneur (2010)")
    BLOCKS: ClassVar[tuple[Block, ...]] = _SBMC_BLOCKS


_KINDS: dict[str, type[_Canvas]] = {
    BusinessModelCanvas.KIND: BusinessModelCanvas,
    SocialBusinessModelCanvas.KIND: SocialBusinessModelCanvas,
}


def canvas_from_text(text: str):
    """Make a canvas of either kind from the text of a canvas file (what :meth:`save` wrote).

    Args:
        text: the file's text, JSON.

    Returns:
        A :class:`BusinessModelCanvas` or a :class:`SocialBusinessModelCanvas`.

    Raises:
        ValueError: the text is not JSON or not a canvas, or holds an unknown block; the
            message says what is wrong in the language in use, without a file name (it reads
            well after "Cannot load <file>: ").
        TypeError: a block's text is not text.
    """
    data = _parse_json(text)
    kind = data.get("kind") if isinstance(data, dict) else None
    if not isinstance(kind, str) or kind not in _KINDS:  # a list or dict "kind" is unhashable
        raise ValueError(_("it is not a canvas file (its \"kind\" should be one of "
                           "{kinds}).").format(kinds=", ".join(_KINDS)))
    return _KINDS[kind].from_dict(data)


def load_canvas(path):
    """Read a canvas file of either kind, whichever it holds.

    Args:
        path: file name or path of a JSON file written by ``save``.

    Returns:
        A :class:`BusinessModelCanvas` or a :class:`SocialBusinessModelCanvas`.

    Raises:
        ValueError: the file is not valid JSON or not a canvas; the message names the file.
        FileNotFoundError: there is no such file.
    """
    path = _as_path(path)
    raw = path.read_text(encoding="utf-8", errors="replace")
    try:
        return canvas_from_text(raw)
    except (TypeError, ValueError) as error:
        raise ValueError(_("Cannot load {path}: {problem}").format(
            path=repr(str(path)), problem=error)) from None
