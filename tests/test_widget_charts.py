"""Issue 15: calculator charts are kept and updated in place (welfarelab.widgets._base.LiveChart).

Fast checks for `make test`: a change moves the artists of the one kept figure to what a new
figure of the same inputs shows, the picture sent to the browser is a PNG that names the new
value, no figure piles up, and under nbgrader no chart is made at all. The timings live in
`make bench` (bench/run.py widgets, tests/test_chart_latency_browser.py).
"""

from __future__ import annotations

import gc
import html
import io

import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from welfarelab import finance, impact
from welfarelab.money import eur
from welfarelab.plotting import (
    break_even_figure,
    cash_flow_figure,
    loan_figure,
    revenue_mix_figure,
    waterfall_figure,
)
from welfarelab.widgets.finance import (
    BreakEvenCalculator,
    CashFlowCalculator,
    LoanCalculator,
    RevenueMixCalculator,
)
from welfarelab.widgets.sroi import SROICalculator


def shown_png(calc) -> bytes:
    """The PNG the browser receives: the value of the chart's Image widget, whose view (with
    its caption) the calculator's Output shows."""
    (shown,) = calc.chart_out.outputs
    view = shown["data"]["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"] == calc.chart_view.box.model_id
    assert calc.chart_view.box.children == (calc.chart_view.image, calc.chart_view.caption)
    assert calc.chart_view.image.format == "png"
    return bytes(calc.chart_view.image.value)


def description(png: bytes) -> str:
    with Image.open(io.BytesIO(png)) as image:
        image.load()
        return image.text["Description"]


def bars(ax):
    return [(round(p.get_y(), 6), round(p.get_height(), 6), round(p.get_width(), 6))
            for c in ax.containers for p in c]


def ydata(ax):
    return {line.get_gid(): np.asarray(line.get_ydata(), dtype=float).round(6).tolist()
            for line in ax.lines}


# ------------------------------------------------------------------ in place, same content
def test_sroi_chart_moves_in_place_to_what_a_new_figure_shows():
    calc = SROICalculator()
    fig, png_before = calc.chart_view.figure, shown_png(calc)
    calc.rows[0]["deadweight"].value = 45
    assert calc.chart_view.figure is fig and fig.axes == [calc.chart_view.ax]
    assert calc.chart_view.redraws["in place"] == 1
    fresh = waterfall_figure(calc.result.waterfall, investment=calc.result.investment).axes[0]
    assert bars(fig.axes[0]) == bars(fresh)
    assert ydata(fig.axes[0]) == ydata(fresh)  # the investment line
    png = shown_png(calc)
    assert png != png_before and png == calc.chart_view.png
    expected = impact.sroi(calc.outcomes(), 120_000).present_value
    assert eur(expected) in description(png)
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == tuple(calc.chart_view.canvas.get_width_height())


def test_break_even_chart_moves_in_place_to_what_a_new_figure_shows():
    calc = BreakEvenCalculator()
    fig = calc.chart_view.figure
    calc.price.value = "5900"
    assert calc.chart_view.redraws["in place"] == 1 and calc.figure is fig
    ax = fig.axes[0]
    fresh = break_even_figure(175_000, 5_900, 2_000, 60_000, planned_units=36,
                              max_units=ax.get_xlim()[1]).axes[0]
    assert ydata(ax) == ydata(fresh)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == \
        [t.get_text() for t in fresh.get_legend().get_texts()]
    point = next(c for c in ax.collections if c.get_gid() == "break-even point")
    units = finance.break_even(175_000, 5_900, 2_000, 60_000).units
    assert tuple(point.get_offsets()[0]) == pytest.approx((units, units * 5_900))
    assert f"{units:,.2f} participants" in description(shown_png(calc))


def test_cash_flow_chart_moves_in_place_to_what_a_new_figure_shows():
    calc = CashFlowCalculator()
    fig = calc.figure
    calc.tranche_month.value = 5
    assert calc.figure is fig and calc.chart_view.redraws["full"] + \
        calc.chart_view.redraws["in place"] == 2
    ax = fig.axes[0]
    fresh = cash_flow_figure(calc.result.table).axes[0]
    assert bars(ax) == bars(fresh)
    assert [p.get_facecolor() for p in ax.patches] == [p.get_facecolor() for p in fresh.patches]
    assert [t.get_text() for t in ax.texts] == [t.get_text() for t in fresh.texts]
    assert [t.xy for t in ax.texts] == [t.xy for t in fresh.texts]
    low = calc.result.table["closing"].min()
    assert eur(low) in description(shown_png(calc))


def test_revenue_mix_and_loan_charts_move_in_place():
    mix = RevenueMixCalculator()
    mix.rows[0]["amount"].value = "150000"
    ax = mix.figure.axes[0]
    fresh = revenue_mix_figure(mix.result.shares, mix.types).axes[0]
    assert mix.chart_view.redraws["in place"] == 1
    assert bars(ax) == bars(fresh)
    assert [t.get_text() for t in ax.texts] == [t.get_text() for t in fresh.texts]

    loan = LoanCalculator()
    loan.principal.value = "38000"
    assert loan.chart_view.redraws["in place"] == 1
    schedule = finance.loan_schedule(38_000, 0.045, 60)
    assert bars(loan.figure.axes[0]) == bars(loan_figure(schedule).axes[0])
    loan.chart_kind.value = "balance"  # another kind of chart: drawn anew
    assert loan.chart_view.redraws["full"] == 2
    assert ydata(loan.figure.axes[0]) == ydata(loan_figure(schedule, kind="balance").axes[0])


@pytest.mark.parametrize("make,poke", [
    (BreakEvenCalculator, lambda c, i: setattr(c.price, "value", str(5_800 + 37 * i))),
    (CashFlowCalculator, lambda c, i: setattr(c.opening_cash, "value", str(29_000 + 500 * i))),
    (SROICalculator, lambda c, i: setattr(c.rows[0]["deadweight"], "value", 30 + i)),
], ids=["break-even", "cash flow", "SROI"])
def test_kept_chart_pixels_equal_matplotlibs_own_drawing(make, poke):
    """The kept chart (blitted, its glyph bitmaps and text layouts kept by
    ``_base._kept_canvas``) shows exactly the pixels matplotlib's own Agg canvas draws for
    the same figure, after changes drawn in place."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    calc = make()
    for i in range(3):
        poke(calc, i)
    assert calc.chart_view.redraws["in place"] >= 2
    kept = np.asarray(calc.chart_view.canvas.buffer_rgba()).copy()
    with Image.open(io.BytesIO(shown_png(calc))) as shown:
        assert np.array_equal(np.asarray(shown.convert("RGBA")), kept)
    plain = FigureCanvasAgg(calc.chart_view.figure)  # matplotlib's own renderer
    plain.draw()
    assert np.array_equal(np.asarray(plain.buffer_rgba()), kept)


def test_limits_stay_while_the_data_fit_and_change_when_they_do_not():
    calc = CashFlowCalculator()
    ylim = calc.chart_view.ax.get_ylim()
    calc.opening_cash.value = "29000"  # a little less cash: the bars fit, the axes stay
    assert calc.chart_view.ax.get_ylim() == ylim and calc.chart_view.redraws["in place"] == 1
    calc.opening_cash.value = "3000000"  # far beyond: new limits that hold the new bars
    top = calc.result.table["closing"].max()
    assert calc.chart_view.ax.get_ylim()[1] >= top > ylim[1]
    assert calc.chart_view.redraws["full"] == 2


def test_a_change_that_needs_new_limits_leaves_headroom_for_the_next_ones():
    """The browser benchmark's 20 break-even changes (price 5,037 to 5,740 EUR): the first
    needs a wider x axis (break-even from 28.75 to 37.9 participants), so it is drawn in
    full; the limits it then gets leave ``LiveChart.HEADROOM`` of room above the revenue
    line, so the rising prices that follow are all drawn in place (without the headroom the
    eighth change needed a second full drawing). The first drawing has no headroom: it
    looks as a new figure would."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    calc = BreakEvenCalculator()
    view = calc.chart_view
    fresh = break_even_figure(175_000, 6_000, 2_000, 60_000, planned_units=36,
                              max_units=60).axes[0]
    assert view.ax.get_ylim() == fresh.get_ylim()
    assert view.redraws == {"in place": 0, "blit": 0, "full": 1}
    calc.price.value = "5037"
    assert view.redraws["full"] == 2 and view.ax.get_xlim() == (0.0, 80.0)
    fresh = break_even_figure(175_000, 5_037, 2_000, 60_000, planned_units=36,
                              max_units=80).axes[0]
    low, high = fresh.get_ylim()
    assert low == 0.0 and view.ax.get_ylim() == pytest.approx((0.0, 1.1 * high))
    for i in range(2, 21):
        calc.price.value = str(5_000 + 37 * i)
    assert view.redraws == {"in place": 19, "blit": 0, "full": 2}
    assert view.ax.get_ylim()[1] > 5_740 * 80  # the last revenue line fits below the top
    plain = FigureCanvasAgg(view.figure)  # the kept pixels are matplotlib's own drawing
    plain.draw()
    assert np.array_equal(np.asarray(plain.buffer_rgba()),
                          np.asarray(view.canvas.buffer_rgba()))

    before = BreakEvenCalculator()  # the same changes without the headroom: two full
    before.chart_view._add_headroom = lambda extent: None
    for i in range(1, 21):
        before.price.value = str(5_000 + 37 * i)
    assert before.chart_view.redraws == {"in place": 18, "blit": 0, "full": 3}


# ------------------------------------------------------------------ the text alternative
def test_the_chart_has_a_text_alternative_beside_the_picture():
    """An ipywidgets Image has no alt attribute: the text alternative is the caption right
    below the picture (and the PNG's Description), and it follows every change."""
    calc = CashFlowCalculator()
    alt = calc.chart_view.alt
    assert "month 4" in alt and "below zero" in alt  # the default dips in months 4 and 5
    caption = calc.chart_view.caption.value
    assert 'class="welfarelab-chart-text"' in caption and html.escape(alt) in caption
    assert description(shown_png(calc)) == alt
    calc.opening_cash.value = "29000"
    low = calc.result.table["closing"].min()
    assert eur(low) in calc.chart_view.alt and eur(low) in calc.chart_view.caption.value
    assert description(shown_png(calc)) == calc.chart_view.alt


def test_a_bad_input_removes_the_chart_and_a_good_one_brings_it_back():
    calc = SROICalculator()
    calc.investment.value = "a lot"
    assert calc.chart_out.outputs == () and calc.result is None
    assert calc.chart_view.image.value == b"" and calc.chart_view.caption.value == ""
    calc.investment.value = "60000"
    assert eur(calc.result.investment) in description(shown_png(calc))


def test_show_refuses_a_chart_without_a_text_alternative():
    calc = CashFlowCalculator()
    with pytest.raises(TypeError, match="alt"):
        calc.chart_view.show(lambda ax: cash_flow_figure(calc.result.table, ax=ax), "  ")


# ------------------------------------------------------------------ memory and grading
def test_no_figure_piles_up_after_many_changes_per_calculator():
    """Each calculator keeps one figure (`make bench` repeats this with 200 changes each).
    Widgets live until closed (ipywidgets keeps every widget), so the figures of other tests'
    calculators are counted before and left out."""
    import matplotlib.pyplot as plt

    gc.collect()
    before = {id(o) for o in gc.get_objects() if isinstance(o, Figure)}
    calcs = [SROICalculator(), BreakEvenCalculator(), CashFlowCalculator(), LoanCalculator()]
    pokes = [lambda c, i: setattr(c.rows[0]["deadweight"], "value", 10 + i % 40),
             lambda c, i: setattr(c.price, "value", str(4_000 + 25 * (i % 80))),
             lambda c, i: setattr(c.tranche_month, "value", 1 + i % 12),
             lambda c, i: setattr(c.principal, "value", str(20_000 + 500 * (i % 60)))]
    for i in range(25):
        for calc, poke in zip(calcs, pokes):
            poke(calc, i)
    gc.collect()
    figures = [o for o in gc.get_objects() if isinstance(o, Figure) and id(o) not in before]
    assert plt.get_fignums() == []
    assert len(figures) <= len(calcs), f"{len(figures)} figures for {len(calcs)} calculators"
    for calc in calcs:  # the kept axes hold one chart's artists, not 200
        ax = calc.chart_view.ax
        assert len(ax.containers) <= 2 and len(ax.texts) <= 12 and len(ax.lines) <= 5


def test_no_chart_work_under_nbgrader(monkeypatch):
    import welfarelab.widgets._base as base
    from welfarelab.widgets.finance import cash_flow_calculator
    from welfarelab.widgets.sroi import sroi_calculator

    made = []
    monkeypatch.setattr(base.LiveChart, "__init__", lambda self, *a: made.append(a))
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    for make in (sroi_calculator, cash_flow_calculator):
        shown = make()
        assert "switched off while nbgrader grades" in shown.value
    assert made == []
