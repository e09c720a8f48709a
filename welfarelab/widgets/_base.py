"""Building blocks that give every calculator the same look and the same error handling."""

from __future__ import annotations

import base64
import html
import os

import ipywidgets as w

from ..i18n import _
from ..validation import parse_number

LABEL_WIDTH = "230px"
INPUT_WIDTH = "440px"


def grading() -> bool:
    """True while nbgrader validates or autogrades (it sets NBGRADER_EXECUTION)."""
    return bool(os.environ.get("NBGRADER_EXECUTION"))


def grading_placeholder(name: str) -> w.HTML:
    """What a calculator shows while nbgrader runs: nothing to compute, nothing to slow grading.

    ``name`` (str) is the widget's name in the language in use (e.g.
    ``_("SROI calculator")``); the sentence around it is in that language too."""
    text = _("The {name} is switched off while nbgrader grades.").format(name=name)
    return w.HTML(f"<i>{html.escape(text)}</i>")


def number_box(label: str, value, unit: str = "") -> w.Text:
    """A text box for a number; its label carries the unit, e.g. 'investment (EUR)'."""
    text = f"{label} ({unit})" if unit else label
    return w.Text(value=str(value), description=text, continuous_update=False,
                  style={"description_width": LABEL_WIDTH}, layout=w.Layout(width=INPUT_WIDTH))


def percent_slider(label: str, share: float) -> w.FloatSlider:
    """A slider in percent (0-100) for a share; convert with ``slider.value / 100`` once."""
    return w.FloatSlider(value=round(share * 100, 1), min=0, max=100, step=1,
                         description=f"{label} (%)", readout_format=".0f",
                         continuous_update=False, style={"description_width": LABEL_WIDTH},
                         layout=w.Layout(width=INPUT_WIDTH))


def read_number(box: w.Text, field: str, owner: str | None = None) -> float:
    """The number typed in ``box``; raises ValueError naming ``field`` if it is not a number."""
    return parse_number(box.value, field, owner)


def message_html(text: str, kind: str = "error") -> str:
    """HTML for a readable message inside a widget (never a traceback)."""
    colour = {"error": "#D55E00", "info": "#0072B2"}[kind]
    icon = {"error": "⚠", "info": "ℹ"}[kind]
    # the heading outside the f-string: pybabel does not see a _() inside one
    heading = _("Please check your input") if kind == "error" else ""
    return (f'<div role="alert" style="border-left:4px solid {colour};padding:4px 8px;'
            f'margin:4px 0"><b>{icon} {heading}'
            f"</b><br>{html.escape(text)}</div>")


def show_figure(output: w.Output, fig) -> None:
    """Replace what ``output`` shows with ``fig`` and free the figure's memory."""
    import matplotlib.pyplot as plt
    from IPython.display import display

    output.clear_output(wait=True)
    with output:
        display(fig)
    plt.close(fig)


#: Glyph bitmaps rendered by :class:`_GlyphCacheRenderer`, shared by every kept chart:
#: ``{(font file, face, size, dpi, glyph, angle, slant, extend, x phase, y phase, hinting,
#: antialiased): (bitmap, left, top)}``; emptied when it holds ``_GLYPH_CACHE_SIZE`` glyphs.
_GLYPH_CACHE: dict = {}
#: The layout of each string (its glyphs and their offsets) drawn by the same renderer.
_LAYOUT_CACHE: dict = {}
#: The ascent, descent and line gap of each font and size (see ``_get_font_height_metrics``).
_METRICS_CACHE: dict = {}
_GLYPH_CACHE_SIZE = 20_000


def _glyph_cache_renderer():
    """The class of a RendererAgg that keeps each glyph's bitmap, or None when this
    matplotlib does not draw text glyph by glyph as 3.11 does.

    matplotlib 3.11 draws text one glyph at a time (``RendererAgg._draw_text_glyphs_and_boxes``
    in lib/matplotlib/backends/backend_agg.py): FreeType renders every glyph anew, at its
    position in 1/64 pixel, on every draw; for a calculator's legend that is most of the time
    of a change. A glyph moved by whole pixels has the same bitmap (FreeType translates the
    hinted outline by ``FT_Set_Transform``'s delta, in 26.6 fixed point), so the bitmap is
    kept per glyph, size and position within its pixel, and drawn with the same
    ``draw_text_image`` call as matplotlib's. tests/test_widget_charts.py checks that a kept
    chart's pixels equal those of matplotlib's own renderer.
    """
    import math

    import matplotlib as mpl
    import numpy as np
    from matplotlib.backends import backend_agg

    base = backend_agg.RendererAgg
    if not hasattr(base, "_draw_text_glyphs_and_boxes") or not hasattr(backend_agg,
                                                                        "RenderMode"):
        return None
    normal, mono = backend_agg.RenderMode.NORMAL, backend_agg.RenderMode.MONO

    class GlyphCacheRenderer(base):
        def _get_font_height_metrics(self, prop):
            """(ascent, descent, line gap) in pixels of the font of ``prop``: what
            ``Text._get_layout`` (lib/matplotlib/text.py) reads from the font's OS/2 or hhea
            table on every layout when the renderer has no such method, read once per
            font and size here; (None, None, None) makes it measure "lp" as it would."""
            key = (tuple(prop.get_family()), prop.get_style(), prop.get_variant(),
                   prop.get_weight(), prop.get_stretch(), prop.get_size_in_points(),
                   prop.get_file(), self.dpi)
            metrics = _METRICS_CACHE.get(key)
            if metrics is None:
                from matplotlib.font_manager import fontManager, get_font

                font = get_font(fontManager._find_fonts_by_props(prop))
                metrics = (None, None, None)
                for table_name, gap, ascent, descent in (
                        ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                        ("hhea", "lineGap", "ascent", "descent")):
                    table = font.get_sfnt_table(table_name)
                    if table is None:
                        continue
                    scale = (prop.get_size_in_points() * self.dpi / 72
                             / font.get_sfnt_table("head")["unitsPerEm"])
                    metrics = (table[ascent] * scale, -table[descent] * scale,
                               table[gap] * scale)
                    break
                _METRICS_CACHE[key] = metrics
            return metrics

        def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
            """RendererAgg.draw_text, with the layout of each string kept too."""
            if ismath:
                return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
            flags = backend_agg.get_hinting_flag()
            features = mtext.get_fontfeatures() if mtext is not None else None
            language = mtext.get_language() if mtext is not None else None
            size = prop.get_size_in_points()
            key = (s, tuple(prop.get_family()), prop.get_style(), prop.get_variant(),
                   prop.get_weight(), prop.get_stretch(), size, prop.get_file(), self.dpi,
                   flags, features, language, mpl.rcParams["text.hinting_factor"])
            try:
                items = _LAYOUT_CACHE.get(key)
            except TypeError:  # features or language that cannot be a key
                return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
            if items is None:
                font = self._prepare_font(prop)
                items = tuple((item.ft_object, item.glyph_index, item.x, item.y)
                              for item in font._layout(s, flags=flags, features=features,
                                                       language=language))
                if len(_LAYOUT_CACHE) >= _GLYPH_CACHE_SIZE:
                    _LAYOUT_CACHE.clear()
                _LAYOUT_CACHE[key] = items
            self._draw_text_glyphs_and_boxes(
                gc, x, y, angle, ((ft, size, index, 0, 1, gx, gy) for ft, index, gx, gy in items),
                [])
            return None

        def _draw_text_glyphs_and_boxes(self, gc, x, y, angle, glyphs, boxes):
            boxes = list(boxes)
            if boxes:  # mathtext rules or TeX boxes: matplotlib's own path
                return super()._draw_text_glyphs_and_boxes(gc, x, y, angle, glyphs, boxes)
            cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
            flags = backend_agg.get_hinting_flag()
            antialiased = bool(gc.get_antialiased())
            hinting_factor = mpl.rcParams["text.hinting_factor"]
            height = self.height
            draw = self._renderer.draw_text_image
            for font, size, index, slant, extend, dx, dy in glyphs:
                # the glyph's origin in 1/64 pixel, as matplotlib computes it
                gx = round(0x40 * (x + dx * cos - dy * sin))
                gy = round(0x40 * (height - y + dx * sin + dy * cos))
                key = (font.fname, getattr(font, "face_index", 0), size, self.dpi, index,
                       angle, slant, extend, gx & 63, gy & 63, flags, antialiased,
                       hinting_factor)
                kept = _GLYPH_CACHE.get(key)
                if kept is None:
                    font.set_size(size, self.dpi)
                    font._set_transform(
                        (0x10000 * np.array([[cos, -sin], [sin, cos]])
                         @ [[extend, extend * slant], [0, 1]]).round().astype(int), [gx, gy])
                    bitmap = font._render_glyph(index, flags, normal if antialiased else mono)
                    buffer = np.array(bitmap.buffer, copy=True)
                    if not antialiased:
                        buffer *= 0xff
                    if len(_GLYPH_CACHE) >= _GLYPH_CACHE_SIZE:
                        _GLYPH_CACHE.clear()
                    kept = _GLYPH_CACHE[key] = (buffer, bitmap.left - (gx >> 6),
                                                bitmap.top - (gy >> 6))
                buffer, left, top = kept
                draw(buffer, left + (gx >> 6), int(height) - (top + (gy >> 6)) + buffer.shape[0],
                     0, gc)
            return None

    return GlyphCacheRenderer


def _kept_canvas(figure):
    """A FigureCanvasAgg for ``figure`` whose renderer keeps glyph bitmaps (see
    :func:`_glyph_cache_renderer`); matplotlib's own when that is not possible."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer_class = _glyph_cache_renderer()
    if renderer_class is None:
        return FigureCanvasAgg(figure)

    class KeptCanvas(FigureCanvasAgg):
        def get_renderer(self):  # FigureCanvasAgg.get_renderer, with the caching renderer
            w, h = self.get_width_height(physical=True)
            key = w, h, self.figure.dpi
            if self._lastKey != key:
                self.renderer = renderer_class(w, h, self.figure.dpi)
                self._lastKey = key
            return self.renderer

    return KeptCanvas(figure)


class LiveChart:
    """One kept matplotlib figure per calculator, redrawn in place on every change (issue 15).

    The old path built a new figure on every change and sent it through ``display``, where
    the inline backend rendered it twice (``bbox_inches="tight"``); tick-label text layout
    dominated. Here a calculator keeps ONE :class:`matplotlib.figure.Figure` (Agg canvas, not
    registered in pyplot, so ``plt.get_fignums()`` does not grow). On each change:

    1. the data artists (bars, lines, fills, annotations, legend) are removed and the
       calculator's plotting function (:mod:`welfarelab.plotting`, the same function that
       draws the figure in a notebook) draws the new ones on the kept axes, with ``ax=``;
    2. limits are "sticky": when the new data fit the limits on screen and fill at least
       ``STICKY`` of them, the limits stay, so the ticks and their labels stay too; when a
       change needs new limits, they get ``HEADROOM`` beyond the data, so the changes that
       follow (a price typed up step by step) fit them and are drawn in place;
    3. when limits, ticks, labels, title and size are what the cached picture shows, only
       the data artists are drawn over the cached background (blitting: matplotlib's
       ``copy_from_bbox``/``restore_region``/``draw_artist``, see "Faster rendering by using
       blitting", https://matplotlib.org/stable/users/explain/animations/blitting.html);
       otherwise the axes are cleared and the chart is drawn in full (as a new one would be).
       Faster still, a chart may give an ``update`` that moves its artists in place
       (``set_height``, ``set_ydata``), skipping step 1 when its structure is unchanged;
    4. the canvas's pixels are encoded as one PNG (Pillow, zlib level 1, Z_RLE; RGBA, not a
       palette: a chart's antialiased edges give 300-2,300 colours, so 256 would not be
       exact) with the text alternative as its ``Description`` iTXt chunk (PNG
       specification, 2nd ed., 11.3.4.5), and set as the value of an ``ipywidgets.Image``:
       only the bytes travel (a binary buffer), and the browser swaps the picture in place.
       An Image has no alt attribute, so the text alternative is also the caption right
       below it (an HTML widget, class ``welfarelab-chart-text``). The calculator's Output
       shows the view of the two from the first chart on and nothing after a bad input.

    Text is the costliest part of a change (matplotlib 3.11 renders each glyph anew on every
    draw), so the canvas keeps glyph bitmaps and text layouts (:func:`_kept_canvas`), which
    gives the same pixels as matplotlib's own Agg canvas. The grid is drawn below the data
    (``ax.set_axisbelow(True)``), so a blitted frame and a full drawing give the same pixels.
    Chosen by measurement: ``make bench`` (bench/run.py, "widgets" and "browser") compares it
    with the old path in the same run (bench/results/bench-widgets.json and
    bench-browser.json). A chart drawn in the browser was not an option without a new runtime
    dependency: environment.yml holds no chart widget library (no bqplot, plotly or ipympl).

    Attributes:
        output: the ipywidgets Output that shows the chart (the view of ``box``).
        image, caption, box: the ipywidgets Image (the PNG), the HTML caption below it (the
            text alternative) and the VBox that holds the two.
        figure: the kept matplotlib Figure; ``figure.axes[0]`` holds the current artists.
        alt: the current text alternative (str). png: the current picture (PNG bytes).
        redraws: ``{"in place": n, "blit": n, "full": n}``, how each change was drawn:
            artists moved by ``update``, artists drawn anew over the cached background, or
            everything drawn.
    """

    #: The new data must fill at least this share of the limits on screen to keep them.
    STICKY = 0.4
    #: Room added beyond the data (share of the span, at each end that is not 0) when a
    #: change needs new limits (see ``_add_headroom`` and ``_set_limits``).
    HEADROOM = 0.1

    def __init__(self, output: w.Output, size: tuple[float, float]):
        from matplotlib.figure import Figure

        self.output = output
        self.figure = Figure(figsize=size, facecolor="white")
        self.canvas = _kept_canvas(self.figure)
        self.ax = self.figure.add_subplot()
        # the picture and its caption, shown once in ``output`` as one widget view; a change
        # sets only ``image.value`` (the PNG travels as a binary buffer) and the caption
        self.image = w.Image(format="png")
        self.caption = w.HTML()
        self.box = w.VBox([self.image, self.caption])
        self.alt = ""
        self.png = b""
        self.redraws = {"in place": 0, "blit": 0, "full": 0}
        self._signature = None
        self._key = None
        self._background = None

    # -- drawing ---------------------------------------------------------------------------
    def show(self, draw, alt: str, size: tuple[float, float] | None = None,
             left: float | None = None, key=None, update=None) -> None:
        """Draw the chart for the current result and show it in ``output``.

        Args:
            draw: ``draw(ax)`` draws the chart on the matplotlib Axes ``ax`` (e.g.
                ``lambda ax: cash_flow_figure(table, ax=ax)``); it may set labels, limits,
                ticks and a legend, as for a new figure.
            alt: the text alternative: what the chart shows, in words, with its key figure.
            size: the figure's (width, height) in inches when it depends on the data (e.g.
                one bar per revenue source); default: unchanged.
            left: left margin as a share 0-1 of the width (long bar names); default: from
                :func:`welfarelab.plotting.fixed_margins`.
            key: optional, anything comparable that names the chart's structure (number of
                bars, which lines, title, labels); with ``update``.
            update: optional ``update(ax)`` that moves the artists ``draw`` made, in place, to
                the new data (set_height, set_ydata, ...; e.g.
                :func:`welfarelab.plotting.update_cash_flow`) and returns the data's extent
                ``((xmin, xmax) or None, (ymin, ymax) or None)``, or None if it cannot. It is
                used only when ``key`` equals the last one and the extent fits the limits on
                screen (see ``STICKY``); otherwise ``draw`` draws anew.

        Raises:
            TypeError: ``alt`` is not a non-empty str (a chart without a text alternative).
            Whatever ``draw`` or ``update`` raise.
        """
        if not isinstance(alt, str) or not alt.strip():
            raise TypeError(_("alt (the chart's text alternative) must be a non-empty "
                              "str."))
        from ..plotting import fixed_margins

        fig, ax = self.figure, self.ax
        if size is not None and tuple(fig.get_size_inches()) != tuple(size):
            fig.set_size_inches(size)
            self._signature = self._background = None
        fixed_margins(fig, left)
        extent = None
        if (update is not None and key is not None and key == self._key
                and self._background is not None):
            extent = update(ax)
        if extent is not None:
            limits = ax.get_xlim(), ax.get_ylim()
            if not self._fits(extent):
                self._set_limits(extent)
            if (ax.get_xlim(), ax.get_ylim()) == limits:
                self._blit()
                self.redraws["in place"] += 1
            else:  # the moved artists need other limits: new ticks, so draw it all
                self._render()
                self.redraws["full"] += 1
            self.alt = alt
            self.png = self._encode(alt)
            self._publish()
            return
        self._key = key
        before = self._limits()
        self._remove_data_artists()
        draw(ax)
        ax.set_axisbelow(True)
        if before is not None:
            self._keep_limits(before)
        signature = self._view_signature()
        if signature == self._signature and self._background is not None:
            self._blit()
            self.redraws["blit"] += 1
        else:  # something besides the data changed: draw it all, as a new figure would be
            first = self._signature is None
            ax.cla()
            draw(ax)
            ax.set_axisbelow(True)
            if not first and update is not None and key is not None:
                # a change that needed new axes: leave room for the next changes
                self._add_headroom(update(ax))
            self._render()
            self.redraws["full"] += 1
        self.alt = alt
        self.png = self._encode(alt)
        self._publish()

    def clear(self) -> None:
        """Show no chart (after a bad input); the figure is kept for the next change."""
        self.alt = ""
        self.png = b""
        self.output.outputs = ()
        self.image.value = b""
        self.caption.value = ""

    # -- helpers ---------------------------------------------------------------------------
    def _render(self) -> None:
        """Draw everything: the background without the data (kept for blitting), then the
        data artists over it, so every frame is drawn the same way."""
        data = self._data_artists(with_spines=True)
        for artist in data:
            artist.set_visible(False)
        self.canvas.draw()
        self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        for artist in data:
            artist.set_visible(True)
            self.ax.draw_artist(artist)
        self._signature = self._view_signature()

    def _set_limits(self, extent) -> None:
        """New limits for data that do not fit those on screen: the data's span with a 10 %
        margin (none at an edge of exactly 0, where bars stand), grown to include the old
        limits when the data still fill ``STICKY`` of them (a slider moved back and forth
        then settles on limits that hold both ends)."""
        ax = self.ax
        for span, get, set_ in zip(extent, (ax.get_xlim, ax.get_ylim), (ax.set_xlim, ax.set_ylim)):
            if span is None:
                continue
            a, b = sorted(float(v) for v in span)
            pad = self.HEADROOM * (b - a) or 1.0
            a, b = (a if a == 0 else a - pad), (b if b == 0 else b + pad)
            old = get()
            lo, hi = min(a, *old), max(b, *old)
            if (b - a) < self.STICKY * (hi - lo):
                lo, hi = a, b
            set_((hi, lo) if old[0] > old[1] else (lo, hi))

    def _add_headroom(self, extent) -> None:
        """Widen the limits that follow the data (the axes ``extent`` names, as an ``update``
        returns it) by ``HEADROOM`` of their span at each end that is not 0 (where bars
        stand), so that the next changes, which tend to go on in the same direction, fit
        the limits on screen and are drawn in place. Only after a change: the first
        drawing looks as a new figure would."""
        if extent is None:
            return
        ax = self.ax
        for span, get, set_ in zip(extent, (ax.get_xlim, ax.get_ylim), (ax.set_xlim, ax.set_ylim)):
            if span is None:
                continue
            old = get()
            lo, hi = sorted(float(v) for v in old)
            pad = self.HEADROOM * (hi - lo)
            lo, hi = (lo if lo == 0 else lo - pad), (hi if hi == 0 else hi + pad)
            set_((hi, lo) if old[0] > old[1] else (lo, hi))

    def _blit(self) -> None:
        """The cached background, and the data artists drawn over it in z-order."""
        self.canvas.restore_region(self._background)
        for artist in self._data_artists(with_spines=True):
            self.ax.draw_artist(artist)

    def _fits(self, extent) -> bool:
        """True when ``extent`` (from an ``update``) lies inside the limits on screen and fills
        at least ``STICKY`` of them on each axis it names."""
        if extent is None:
            return False
        for span, limits in zip(extent, (self.ax.get_xlim(), self.ax.get_ylim())):
            if span is None:
                continue
            a, b = sorted(float(v) for v in span)
            lo, hi = sorted(limits)
            if not (lo <= a and b <= hi and (b - a) >= self.STICKY * (hi - lo)):
                return False
        return True

    def _limits(self):
        if self._signature is None:
            return None
        return self.ax.get_xlim(), self.ax.get_ylim()

    def _keep_limits(self, before) -> None:
        """Keep the limits on screen when the new data fit them and fill ``STICKY`` of them."""
        ax = self.ax
        for (old_lo, old_hi), get, set_ in ((before[0], ax.get_xlim, ax.set_xlim),
                                            (before[1], ax.get_ylim, ax.set_ylim)):
            lo, hi = get()
            if (lo > hi) != (old_lo > old_hi):
                continue
            a, b = sorted((lo, hi))
            old_a, old_b = sorted((old_lo, old_hi))
            if old_a <= a and b <= old_b and (b - a) >= self.STICKY * (old_b - old_a):
                set_(old_lo, old_hi)

    def _view_signature(self):
        """What the cached background shows: size, margins, limits, ticks and their labels,
        axis labels, title. Equal signatures mean equal backgrounds."""
        fig, ax = self.figure, self.ax

        def ticks(axis):
            locs = tuple(float(v) for v in axis.get_majorticklocs())
            return locs, tuple(axis.get_major_formatter().format_ticks(list(locs)))

        return (tuple(fig.get_size_inches()), tuple(ax.get_position().bounds),
                ax.get_xlim(), ax.get_ylim(), ticks(ax.xaxis), ticks(ax.yaxis),
                ax.get_xlabel(), ax.get_ylabel(), ax.get_title())

    def _data_artists(self, with_spines: bool):
        ax = self.ax
        artists = [*ax.patches, *ax.lines, *ax.collections, *ax.texts, *ax.images]
        if ax.legend_ is not None:
            artists.append(ax.legend_)
        if with_spines:  # spines are drawn above the data, as in a full drawing
            artists += list(ax.spines.values())
        return sorted(artists, key=lambda a: a.get_zorder())

    def _remove_data_artists(self) -> None:
        ax = self.ax
        for container in list(ax.containers):
            container.remove()
        for artist in [*ax.patches, *ax.lines, *ax.collections, *ax.texts, *ax.images]:
            artist.remove()
        if ax.legend_ is not None:
            ax.legend_.remove()
        ax.relim()  # forget the old data's limits
        ax.set_autoscale_on(True)
        ax.xaxis.set_inverted(False)
        ax.yaxis.set_inverted(False)

    def _encode(self, alt: str) -> bytes:
        import io

        from PIL import Image, PngImagePlugin

        width, height = self.canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw",
                                 "RGBA", 0, 1)
        info = PngImagePlugin.PngInfo()
        info.add_itxt("Description", alt)
        buffer = io.BytesIO()
        # zlib level 1 with the Z_RLE strategy (3; Pillow passes ``compress_type`` to zlib,
        # PIL/PngImagePlugin.py): half the time of the default on a chart's flat colours
        image.save(buffer, format="png", compress_level=1, compress_type=3, pnginfo=info)
        return buffer.getvalue()

    def _publish(self) -> None:
        """Show the picture and its text alternative: the PNG goes into ``image`` (an
        ipywidgets Image: only its bytes travel, as a binary buffer of one state update, and
        the browser swaps the picture in place) and the text into ``caption`` below it. The
        Output holds the view of ``box`` (picture and caption) from the first chart on; it
        is set, not filled through ``display``, which a callback's message id routes (a second
        browser tab or a reconnected one would put the chart in its log console instead)."""
        self.image.value = self.png
        self.caption.value = (f'<p class="welfarelab-chart-text" style="font-size:0.85em;'
                              f'color:#555;margin:0 0 4px 0">{html.escape(self.alt)}</p>')
        if not self.output.outputs:
            self.output.outputs = (
                {"output_type": "display_data",
                 "data": {**self.box._repr_mimebundle_(),  # ipywidgets' own view reference
                          "text/plain": _("Figure: a calculator chart (run the notebook to "
                                          "see it).")},
                 "metadata": {}},
            )


def calculator_layout(inputs, message, summary, chart, extras=()) -> w.VBox:
    """The one look of every calculator: inputs on the left, the result beside them (so a
    change shows at once), the chart below across the full width, then any extras."""
    left = w.VBox(list(inputs), layout=w.Layout(width="470px"))
    right = w.VBox([w.HTML("<b>" + html.escape(_("Result")) + "</b>"), message, summary],
                   layout=w.Layout(flex="1 1 300px", min_width="300px", padding="0 0 0 12px"))
    top = w.HBox([left, right], layout=w.Layout(flex_flow="row wrap", align_items="flex-start"))
    return w.VBox([top, chart, *extras])


def download_link(payload: bytes, filename: str, mime: str = "application/json",
                  label: str | None = None, style: str = "") -> str:
    """An HTML link that downloads ``payload`` as ``filename`` from the browser itself.

    The bytes travel in a ``data:`` URI, so it works on Binder and in any JupyterLab, with no
    file on the server. Used by every widget that saves a student's work (canvas, theory of
    change, pitch, capstone plan).
    """
    data = base64.b64encode(bytes(payload)).decode("ascii")
    text = label or _("⬇ Download {name}").format(name=filename)
    return (f'<a download="{html.escape(filename)}" href="data:{mime};base64,{data}" '
            f'style="{style}">{html.escape(text)}</a>')


def uploaded_files(value) -> list[tuple[str, bytes]]:
    """(name, content) of each file in the value of an ipywidgets ``FileUpload``.

    ipywidgets 8 gives a tuple of dicts with "name" and "content" (a memoryview); ipywidgets 7
    gave a dict of name -> {"content": bytes, "metadata": ...}. Both are read.
    """
    if not value:
        return []
    if isinstance(value, dict):  # ipywidgets 7
        return [(str(name), bytes(item["content"])) for name, item in value.items()]
    return [(str(item.get("name") or "upload.json"), bytes(item["content"])) for item in value]
