"""Figures in welfarelab.plotting: labelled axes with units, Okabe–Ito colours, the expected
number of bars and lines, and figures that are closed in pyplot (they show once)."""

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from welfarelab import finance
from welfarelab.plotting import (
    OKABE_ITO,
    REVENUE_TYPE_COLOURS,
    break_even_figure,
    cash_flow_figure,
    loan_figure,
    revenue_mix_figure,
    waterfall_figure,
    yearly_bars_figure,
)


def detached(fig):
    return isinstance(fig, Figure) and not plt.fignum_exists(fig.number)


# ------------------------------------------------------------------ break-even

def test_break_even_figure_lines_and_point():
    fig = break_even_figure(175_000, 6_000, 2_000, subsidy=60_000)
    assert detached(fig)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "participants per year"
    assert ax.get_ylabel() == "EUR per year"
    assert ax.get_title() == "Break-even chart"
    assert [line.get_gid() for line in ax.lines] == ["revenue", "total costs",
                                                     "costs minus subsidy"]
    revenue, costs, net = ax.lines
    assert revenue.get_ydata()[0] == 0 and costs.get_ydata()[0] == 175_000
    assert net.get_ydata()[0] == 115_000  # the subsidy lowers the cost line
    assert revenue.get_color() == OKABE_ITO["blue"]
    point = next(c for c in ax.collections if c.get_gid() == "break-even point")
    # calculated with finance.break_even when not given: 115,000 / 4,000
    assert tuple(point.get_offsets()[0]) == pytest.approx((28.75, 172_500))
    assert ax.get_xlim() == (0, 60)  # about twice the break-even units, to a multiple of 5


def test_break_even_figure_optional_lines():
    fig = break_even_figure(10_000, 50, 10, target_surplus=2_000, planned_units=400,
                            unit="meals", break_even_units=300)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "meals per year"
    assert [line.get_gid() for line in ax.lines] == ["revenue", "total costs", "target",
                                                     "planned"]
    point = next(c for c in ax.collections if c.get_gid() == "break-even point")
    assert tuple(point.get_offsets()[0]) == pytest.approx((300, 15_000))
    label = next(t for t in ax.texts if t.get_gid() == "break-even label")
    assert label.get_text().startswith("break-even incl. target surplus: 300.00 meals")


def test_break_even_figure_refuses_a_price_below_cost():
    with pytest.raises(ValueError, match="There is no break-even"):
        break_even_figure(1_000, 10, 12)
    with pytest.raises(ValueError, match="planned units must be more than 0"):
        break_even_figure(1_000, 20, 12, planned_units=0)


def test_break_even_figure_on_given_axes():
    fig, ax = plt.subplots()
    try:
        assert break_even_figure(1_000, 20, 10, ax=ax, title="Ours") is fig
        assert ax.get_title() == "Ours"
    finally:
        plt.close(fig)


# ------------------------------------------------------------------ revenue mix

def test_revenue_mix_figure_bars_coloured_by_type():
    result = finance.revenue_mix({"subsidy": 60, "fees": 30, "gifts": 10}, ["subsidy"], ["fees"])
    fig = revenue_mix_figure(result.shares, {"subsidy": "subsidy", "fees": "earned"})
    assert detached(fig)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "share of total revenue (%)"
    assert ax.get_ylabel() == "revenue source"
    bars = ax.patches
    assert len(bars) == 3
    assert [b.get_width() for b in bars] == pytest.approx([60, 30, 10])
    assert [b.get_facecolor() for b in bars] == [
        to_rgba(REVENUE_TYPE_COLOURS[k]) for k in ("subsidy", "earned", "other")]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["subsidy", "fees", "gifts"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "subsidy or grant", "earned income (sales, fees)", "other (donations, ...)"]


def test_revenue_mix_figure_checks_its_input():
    with pytest.raises(ValueError, match="'subsidy', 'earned' or 'other'"):
        revenue_mix_figure({"a": 1.0}, {"a": "grant"})
    with pytest.raises(ValueError, match="share of 'a' must be a share between 0 and 1"):
        revenue_mix_figure({"a": 60})
    with pytest.raises(ValueError, match="empty"):
        revenue_mix_figure({})
    with pytest.raises(TypeError, match="pandas Series"):
        revenue_mix_figure([0.5, 0.5])


# ------------------------------------------------------------------ cash flow

def test_cash_flow_figure_bars_below_zero_stand_out():
    result = finance.cash_flow(30_000, 18_000, 26_000, 12, tranches={6: 75_000})
    fig = cash_flow_figure(result.table)
    assert detached(fig)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "month"
    assert ax.get_ylabel() == "closing balance (EUR)"
    assert len(ax.patches) == 12
    colours = [b.get_facecolor() for b in ax.patches]
    below = [i + 1 for i, c in enumerate(colours) if c == to_rgba(OKABE_ITO["vermillion"])]
    assert below == [4, 5]
    assert colours.count(to_rgba(OKABE_ITO["blue"])) == 10
    assert [list(line.get_ydata()) for line in ax.lines] == [[0, 0]]  # the zero line
    assert [t.get_text() for t in ax.texts if t.get_gid() == "tranche label"] == [
        "subsidy\n+€75,000"]


def test_cash_flow_figure_needs_month_and_closing():
    with pytest.raises(ValueError, match="'closing'] is missing"):
        cash_flow_figure(pd.DataFrame({"month": [1, 2]}))
    with pytest.raises(TypeError, match="DataFrame"):
        cash_flow_figure([1, 2, 3])


# ------------------------------------------------------------------ loan

def test_loan_figure_split_and_balance():
    schedule = finance.loan_schedule(12_000, 0.06, 24)
    fig = loan_figure(schedule)
    assert detached(fig)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "month" and ax.get_ylabel() == "paid per month (EUR)"
    assert len(ax.patches) == 48  # interest and principal for each month
    first_interest, first_repaid = ax.patches[0], ax.patches[24]
    assert first_interest.get_height() == pytest.approx(60.0)  # 12,000 * 6 % / 12
    assert first_interest.get_height() + first_repaid.get_height() == pytest.approx(
        -finance.loan_payment(12_000, 0.06, 24))

    fig = loan_figure(schedule, kind="balance")
    ax = fig.axes[0]
    assert ax.get_ylabel() == "balance still owed (EUR)"
    (line,) = ax.lines
    assert list(line.get_xdata()) == list(range(25))
    assert line.get_ydata()[0] == pytest.approx(12_000)
    assert line.get_ydata()[-1] == 0


def test_loan_figure_checks_its_input():
    with pytest.raises(ValueError, match='"split" or "balance"'):
        loan_figure(finance.loan_schedule(1_000, 0.05, 12), kind="pie")
    with pytest.raises(ValueError, match="missing"):
        loan_figure(pd.DataFrame({"month": [1]}))


# ------------------------------------------------------------------ existing figures

def test_waterfall_and_yearly_bars_keep_their_labels():
    steps = pd.Series({"gross": 100.0, "deadweight": -20.0, "present value": 80.0})
    ax = waterfall_figure(steps, investment=50).axes[0]
    assert ax.get_ylabel() == "value (EUR, over the whole duration)"
    assert len(ax.patches) == 3
    ax = yearly_bars_figure([3, 2, 1]).axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("year", "value (EUR per year)")
    assert len(ax.patches) == 3


def test_eur_axis_title_stays_inside_the_figure_above_one_million():
    """A tryout: values over EUR 1,000,000 (quantity 15, proxy 15000, 4 years) pushed the
    waterfall's y-axis title off the left edge; ticks from one million on read €1M, €1.5M."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from welfarelab.impact import Outcome, sroi
    from welfarelab.plotting import eur_tick, waterfall_figure

    assert [eur_tick(v) for v in (45000, 1_000_000, 1_500_000)] == ["€45,000", "€1M", "€1.5M"]
    result = sroi([Outcome("found a job", "jobseekers", 15, 15000, 0.1, 0.0, 0.1, 0.0, 4)], 120000)
    fig = waterfall_figure(result.waterfall, investment=result.investment)
    FigureCanvasAgg(fig)
    fig.canvas.draw()
    ax = fig.axes[0]
    box = ax.yaxis.label.get_window_extent(fig.canvas.get_renderer())
    assert max(t.get_window_extent().y1 for t in ax.get_yticklabels()) > 0
    assert any(t.get_text().endswith("M") for t in ax.get_yticklabels())
    assert box.x0 >= 0, f"the y-axis title starts {box.x0:.0f} px left of the figure"
