"""Figures shared by the calculators: one colour-blind-safe palette, labelled axes with units.

matplotlib is imported inside each function, so importing this module stays cheap.
"""

from __future__ import annotations

from .i18n import N_, _, _ngettext, babel_locale, number_text
from .money import eur_whole

#: Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "black": "#000000",
    "grey": "#999999",
}


#: Size in inches (width, height) of each calculator chart; a kept calculator figure
#: (:class:`welfarelab.widgets._base.LiveChart`) is made at the same size as a new one.
WATERFALL_SIZE = (7.5, 3.8)
BREAK_EVEN_SIZE = (7.5, 4.2)
CASH_FLOW_SIZE = (7.5, 3.8)
LOAN_SIZE = (7.5, 3.8)


def fixed_margins(fig, left: float | None = None) -> None:
    """Set the margins of ``fig`` (one Axes) from its size in inches: room for the tick
    labels, the axis labels and the title, the same for every figure of a given size.

    Fixed margins instead of a layout engine: constrained layout doubles the time to draw,
    and a calculator redraws its chart on every change. ``left`` (share 0-1 of the width)
    overrides the left margin, e.g. for long bar names.
    """
    width, height = fig.get_size_inches()
    fig.subplots_adjust(left=left if left is not None else min(0.2, 1.05 / width),
                        right=0.97,
                        bottom=min(0.35, 0.85 / height), top=1 - min(0.2, 0.45 / height))


def _detached(fig, margins=True, left=None):
    """Close ``fig`` in pyplot and return it: it shows once, as a cell's last line or display().

    With ``margins`` the figure gets :func:`fixed_margins`.
    """
    import matplotlib.pyplot as plt

    if margins:
        fixed_margins(fig, left)
    plt.close(fig)
    return fig


def eur_tick(value: float, _pos=None) -> str:
    """A tick label in EUR: ``€45,000``; from one million on ``€1.5M``, so the label fits the
    fixed left margin (``€1,500,000`` pushed the axis title off the figure in a tryout). In
    another language than English the Belgian format: ``€ 45.000``, ``€ 1,5 mln``."""
    if babel_locale() is not None:  # Belgian: € 45.000 and € 1,5 mln
        if abs(value) >= 1_000_000:
            return _("€ {amount} mln").format(amount=number_text(
                float(f"{value / 1_000_000:.3g}"), "g")).replace(" ", "\u00a0", 1)
        return eur_whole(value)
    if abs(value) >= 1_000_000:
        return f"€{value / 1_000_000:,.3g}M"
    return f"€{value:,.0f}"


def _eur_axis(ax):
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(eur_tick))


def _waterfall_bars(steps):
    """(bottoms, heights, colours) of the bars of :func:`waterfall_figure`: the first and last
    bar stand on 0 (blue); each step between hangs from the running total, vermillion when it
    lowers it, bluish green when it raises it."""
    values = [float(v) for v in steps.values]
    bottoms, heights, colours = [], [], []
    running = 0.0
    for i, v in enumerate(values):
        if i == 0 or i == len(values) - 1:
            bottoms.append(0.0)
            heights.append(v)
            colours.append(OKABE_ITO["blue"])
            running = v
        else:
            bottoms.append(running + min(v, 0.0))
            heights.append(abs(v))
            colours.append(OKABE_ITO["vermillion"] if v < 0 else OKABE_ITO["bluish green"])
            running += v
    return bottoms, heights, colours


#: The steps of :attr:`welfarelab.impact.SROIResult.waterfall` (its index, English in every
#: language: code compares them) and how a chart names them, translated when drawn.
STEP_LABELS = {
    "gross value": N_("gross value"),
    "deadweight": N_("deadweight"),
    "displacement": N_("displacement"),
    "attribution": N_("attribution"),
    "drop-off": N_("drop-off"),
    "discounting": N_("discounting"),
    "present value": N_("present value"),
}


def waterfall_figure(steps, investment: float | None = None, title: str = "", ax=None):
    """Draw a waterfall of how gross value shrinks, step by step, to present value.

    Args:
        steps: pandas Series in EUR, first item the starting total, last item the end total,
            the items between them the (usually negative) change made by each step; e.g.
            :attr:`welfarelab.impact.SROIResult.waterfall`.
        investment: optional EUR amount drawn as a dashed line (the ratio is 1.0 at that line).
        title: figure title.
        ax: optional matplotlib Axes to draw on.

    Returns:
        The matplotlib Figure.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=WATERFALL_SIZE)
    else:
        fig = ax.figure
    # a known step is named in the language in use; any other name is shown as it is
    labels = [_(STEP_LABELS[n]) if n in STEP_LABELS else n for n in steps.index]
    bottoms, heights, colours = _waterfall_bars(steps)
    ax.bar(labels, heights, bottom=bottoms, color=colours, edgecolor="black", linewidth=0.5)
    if investment is not None:
        ax.axhline(investment, color=OKABE_ITO["black"], linestyle="--", linewidth=1)
        ax.annotate(_("investment (ratio 1 : 1)"), xy=(-0.4, investment), xytext=(0, 3),
                    textcoords="offset points", ha="left", fontsize=8)
    ax.set_ylabel(_("value (EUR, over the whole duration)"))
    ax.set_xlabel(_("step of the SROI calculation"))
    ax.tick_params(axis="x", labelrotation=20, labelsize=8)
    _eur_axis(ax)
    if title:
        ax.set_title(title)
    return _detached(fig)


def update_waterfall(ax, steps, investment: float | None = None):
    """Move the bars (and the investment line) that :func:`waterfall_figure` drew on ``ax`` to
    the values of ``steps``, in place, for a calculator's kept chart
    (:class:`welfarelab.widgets._base.LiveChart`).

    Args:
        ax: Axes that :func:`waterfall_figure` drew on, with the same step names and the
            same choice of an investment line or none.
        steps: pandas Series in EUR, as for :func:`waterfall_figure`.
        investment: EUR, as for :func:`waterfall_figure`.

    Returns:
        ``(None, (ymin, ymax))``: the EUR range the data need (the x axis does not change);
        None when ``ax`` does not hold such a chart (then draw it anew).
    """
    if len(ax.containers) != 1 or len(ax.containers[0]) != len(steps):
        return None
    if (investment is None) != (not ax.lines):
        return None
    bottoms, heights, colours = _waterfall_bars(steps)
    for bar, bottom, height, colour in zip(ax.containers[0], bottoms, heights, colours):
        bar.set_y(bottom)
        bar.set_height(height)
        bar.set_facecolor(colour)
    ends = [b + h for b, h in zip(bottoms, heights)] + bottoms + [0.0]
    if investment is not None:
        ax.lines[0].set_ydata([investment, investment])
        ax.texts[0].xy = (-0.4, investment)
        ends.append(float(investment))
    return None, (min(ends), max(ends))


def yearly_bars_figure(yearly_values, title: str = "", ax=None):
    """Bar chart of value per year (EUR per year), year 1 first. Returns the Figure."""
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=(6, 3.2))
    else:
        fig = ax.figure
    years = list(range(1, len(yearly_values) + 1))
    ax.bar(years, list(yearly_values), color=OKABE_ITO["bluish green"], edgecolor="black",
           linewidth=0.5)
    ax.set_xlabel(_("year"))
    ax.set_ylabel(_("value (EUR per year)"))
    ax.set_xticks(years)
    _eur_axis(ax)
    if title:
        ax.set_title(title)
    return _detached(fig)


# --------------------------------------------------------------------------------------------
# finance figures (module m04 and m05): pure functions over numbers and DataFrames
# --------------------------------------------------------------------------------------------

#: Colour of each kind of revenue source in :func:`revenue_mix_figure`.
REVENUE_TYPE_COLOURS = {
    "subsidy": OKABE_ITO["orange"],
    "earned": OKABE_ITO["bluish green"],
    "other": OKABE_ITO["sky blue"],
}

#: How each kind of revenue source is named in the legend of :func:`revenue_mix_figure`.
# Marked for the catalogs (N_) and translated where they are drawn (_), so the language can
# change after import.
REVENUE_TYPE_LABELS = {
    "subsidy": N_("subsidy or grant"),
    "earned": N_("earned income (sales, fees)"),
    "other": N_("other (donations, ...)"),
}


def _new_axes(ax, figsize):
    """(fig, ax, made_here): a new figure when ``ax`` is None, else the figure of ``ax``."""
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
        return fig, ax, True
    return ax.figure, ax, False


def _columns(table, needed, name: str):
    """Raise a readable error unless ``table`` is a DataFrame with the ``needed`` columns."""
    import pandas as pd

    if not isinstance(table, pd.DataFrame):
        raise TypeError(_("{name} must be a pandas DataFrame, but it is {kind}.").format(
            name=name, kind=type(table).__name__))
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise ValueError(_ngettext(
            "{name} needs the columns {needed}, but {missing} is missing. It has {columns}.",
            "{name} needs the columns {needed}, but {missing} are missing. It has {columns}.",
            len(missing)).format(name=name, needed=list(needed), missing=missing,
                                 columns=list(table.columns)))
    if table.empty:
        raise ValueError(_("{name} is empty: it needs at least one row (one month).").format(
            name=name))


def break_even_max_units(units: float, planned_units: float | None = None) -> float:
    """The default right end of a break-even chart's x axis, in units per year: about twice
    the break-even ``units`` (at least 10, and 20 % beyond ``planned_units``), rounded up to
    a multiple of 5."""
    import numpy as np

    wanted = max(10.0, 2 * float(units), 1.2 * float(planned_units or 0))
    return float(np.ceil(wanted / 5) * 5)


def revenue_mix_layout(names) -> tuple[tuple[float, float], float]:
    """((width, height) in inches, left margin as a share of the width) of a revenue-mix
    chart with one bar per name in ``names``: 0.5 inch per bar, room for the longest name."""
    names = [str(n) for n in names]
    longest = max((len(n) for n in names), default=0)
    return (7.5, 0.9 + 0.5 * len(names)), min(0.45, (0.3 + 0.075 * longest) / 7.5)


def _break_even_inputs(fixed_costs, price, variable_cost, subsidy, target_surplus,
                       break_even_units, planned_units):
    """The checked inputs of :func:`break_even_figure` and :func:`update_break_even`:
    ``(units, fixed_costs, price, variable_cost, subsidy, target_surplus, planned_units)``,
    amounts as floats in EUR (per year; per unit for price and variable cost).

    ``units`` is ``break_even_units`` when given, else the break-even units of
    :func:`welfarelab.finance.break_even`, which checks every amount and refuses a price at or
    below the variable cost (its errors are raised). Raises ValueError for negative
    break-even units or planned units of 0 or less.
    """
    from . import finance
    from . import validation as check

    units = finance.break_even(fixed_costs, price, variable_cost, subsidy, target_surplus).units
    if break_even_units is not None:
        units = check.non_negative(break_even_units, _("break-even units"))
    fixed_costs, price, variable_cost = float(fixed_costs), float(price), float(variable_cost)
    subsidy, target_surplus = float(subsidy), float(target_surplus)
    if planned_units is not None:
        planned_units = check.positive(planned_units, _("planned units"))
    return units, fixed_costs, price, variable_cost, subsidy, target_surplus, planned_units


def break_even_figure(fixed_costs, price, variable_cost, subsidy=0.0, target_surplus=0.0,
                      break_even_units=None, planned_units=None, max_units=None,
                      unit: str | None = None, title: str | None = None, ax=None):
    """The classic break-even chart: revenue and cost lines against the number of units.

    Lines (in this order in ``ax.lines``): revenue (``price * units``, blue); total costs
    (``fixed_costs + variable_cost * units``, vermillion, dashed when a subsidy lowers it);
    costs minus the operating subsidy (orange, only when ``subsidy`` > 0); costs minus subsidy
    plus the target surplus (reddish purple, dotted, only when ``target_surplus`` > 0); and a
    grey vertical line at the planned units (only when ``planned_units`` is given). The
    break-even point is a black dot on the revenue line; the area between revenue and the costs
    the revenue must cover is shaded green where you make a surplus, vermillion where you make
    a loss.

    Args:
        fixed_costs: EUR per year; 0 or more.
        price: EUR per unit (with a tariff mix: the share-weighted price); more than
            ``variable_cost``.
        variable_cost: EUR per unit; 0 or more.
        subsidy: operating subsidy in EUR per year; 0 or more (it lowers the cost line).
        target_surplus: wanted surplus in EUR per year; 0 or more.
        break_even_units: the break-even units to mark (e.g. ``break_even(...).units``); when
            None it is calculated with :func:`welfarelab.finance.break_even`.
        planned_units: optional planned units per year, drawn as a vertical line.
        max_units: right end of the x axis; default about twice the break-even units (at
            least 10, and beyond the planned units).
        unit: what one unit is, plural; the x axis reads "<unit> per year". None (default):
            "participants" in the language in use.
        title: title above the chart; None (default): "Break-even chart" in the language in
            use; "" for none.
        ax: optional matplotlib Axes to draw on.

    Returns:
        matplotlib Figure (closed in pyplot when made here). x axis "<unit> per year",
        y axis "EUR per year".

    Raises:
        The errors of :func:`welfarelab.finance.break_even` (e.g. price at or below the
        variable cost: no break-even), and ValueError for planned or max units of 0 or less.
    """
    import numpy as np

    from . import validation as check

    if unit is None:
        unit = _("participants")
    units, fixed_costs, price, variable_cost, subsidy, target_surplus, planned_units = \
        _break_even_inputs(fixed_costs, price, variable_cost, subsidy, target_surplus,
                           break_even_units, planned_units)
    if max_units is None:
        max_units = break_even_max_units(units, planned_units)
    else:
        max_units = check.positive(max_units, _("max units"))

    fig, ax, made_here = _new_axes(ax, BREAK_EVEN_SIZE)
    q = np.linspace(0, max_units, 201)
    revenue = price * q
    total_costs = fixed_costs + variable_cost * q
    to_cover = total_costs - subsidy + target_surplus
    ax.plot(q, revenue, color=OKABE_ITO["blue"], linewidth=2,
            label=_revenue_label(price, unit), gid="revenue")
    ax.plot(q, total_costs, color=OKABE_ITO["vermillion"], linewidth=2,
            linestyle="--" if subsidy > 0 else "-",
            label=_("total costs (fixed + variable)"), gid="total costs")
    if subsidy > 0:
        ax.plot(q, total_costs - subsidy, color=OKABE_ITO["orange"], linewidth=2,
                label=_subsidy_label(subsidy),
                gid="costs minus subsidy")
    if target_surplus > 0:
        ax.plot(q, to_cover, color=OKABE_ITO["reddish purple"], linewidth=1.5, linestyle=":",
                label=_target_label(target_surplus),
                gid="target")
    ax.fill_between(q, revenue, to_cover, where=revenue >= to_cover, interpolate=True,
                    color=OKABE_ITO["bluish green"], alpha=0.15, linewidth=0, label=_("surplus"),
                    gid="surplus")
    ax.fill_between(q, revenue, to_cover, where=revenue <= to_cover, interpolate=True,
                    color=OKABE_ITO["vermillion"], alpha=0.12, linewidth=0, label=_("loss"),
                    gid="loss")
    if planned_units is not None:
        ax.axvline(planned_units, color=OKABE_ITO["grey"], linestyle="-.", linewidth=1.2,
                   label=_planned_label(planned_units, unit), gid="planned")
    point_y = units * price
    ax.scatter([units], [point_y], s=60, color=OKABE_ITO["black"], zorder=5,
               gid="break-even point")
    ax.annotate(_point_label(units, unit, point_y, target_surplus),
                xy=(units, point_y), xytext=(12, -28), textcoords="offset points", fontsize=8,
                arrowprops={"arrowstyle": "-", "color": OKABE_ITO["black"], "linewidth": 0.8},
                gid="break-even label")
    ax.set_xlim(0, max_units)
    ax.set_ylim(bottom=min(0.0, float(to_cover.min()), float((total_costs - subsidy).min())))
    ax.set_xlabel(_("{unit} per year").format(unit=unit))
    ax.set_ylabel(_("EUR per year"))
    _eur_axis(ax)
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(alpha=0.3)
    if title is None:
        title = _("Break-even chart")
    if title:
        ax.set_title(title)
    return _detached(fig) if made_here else fig


def _revenue_label(price: float, unit: str) -> str:
    """The legend entry of the revenue line: "revenue (€6,000 × participants)"."""
    return _("revenue ({price} × {unit})").format(price=eur_whole(price), unit=unit)


def _subsidy_label(subsidy: float) -> str:
    """The legend entry of the costs-minus-subsidy line."""
    return _("costs minus operating subsidy ({amount})").format(amount=eur_whole(subsidy))


def _target_label(target_surplus: float) -> str:
    """The legend entry of the line with the target surplus."""
    return _("costs minus subsidy plus target surplus ({amount})").format(
        amount=eur_whole(target_surplus))


def _planned_label(planned_units: float, unit: str) -> str:
    """The legend entry of the planned line: "planned: 36 participants"."""
    return _("planned: {n} {unit}").format(n=number_text(planned_units, "g"), unit=unit)


def _point_label(units: float, unit: str, point_y: float, target_surplus: float) -> str:
    """The label beside the break-even point: units and the revenue there, on two lines."""
    what = _("break-even incl. target surplus") if target_surplus > 0 else _("break-even")
    return _("{what}: {units} {unit}\n({revenue} revenue)").format(
        what=what, units=number_text(units, ",.2f"), unit=unit, revenue=eur_whole(point_y))


def update_break_even(ax, fixed_costs, price, variable_cost, subsidy=0.0, target_surplus=0.0,
                      break_even_units=None, planned_units=None, max_units=None,
                      unit: str | None = None):
    """Move the lines, shading, point and labels that :func:`break_even_figure` drew on
    ``ax`` to new amounts, in place, for a calculator's kept chart
    (:class:`welfarelab.widgets._base.LiveChart`).

    Args: as for :func:`break_even_figure`; ``ax`` must hold a chart drawn with the same
        ``max_units``, ``unit``, title, and the same choice of a subsidy line, a target line
        and a planned line (each present or not).

    Returns:
        ``(None, (ymin, ymax))``: the EUR per year range the data need (the x axis stays
        0 to ``max_units``); None when ``ax`` does not hold such a chart.

    Raises:
        The errors of :func:`break_even_figure`.
    """
    import numpy as np

    if unit is None:
        unit = _("participants")
    units, fixed_costs, price, variable_cost, subsidy, target_surplus, planned_units = \
        _break_even_inputs(fixed_costs, price, variable_cost, subsidy, target_surplus,
                           break_even_units, planned_units)
    lines = {line.get_gid(): line for line in ax.lines}
    wanted = {"revenue", "total costs"} | ({"costs minus subsidy"} if subsidy > 0 else set()) \
        | ({"target"} if target_surplus > 0 else set()) \
        | ({"planned"} if planned_units is not None else set())
    # found by gid, not by label: the label is in the language in use
    fills = [c for c in ax.collections if c.get_gid() in ("surplus", "loss")]
    points = [c for c in ax.collections if c.get_gid() == "break-even point"]
    labels = [t for t in ax.texts if t.get_gid() == "break-even label"]
    if (set(lines) != wanted or len(fills) != 2 or len(points) != 1 or len(labels) != 1
            or max_units is None or ax.get_xlim() != (0.0, float(max_units))):
        return None
    q = lines["revenue"].get_xdata()
    revenue = price * q
    total_costs = fixed_costs + variable_cost * q
    to_cover = total_costs - subsidy + target_surplus
    lines["revenue"].set_ydata(revenue)
    lines["revenue"].set_label(_revenue_label(price, unit))
    lines["total costs"].set_ydata(total_costs)
    if subsidy > 0:
        lines["costs minus subsidy"].set_ydata(total_costs - subsidy)
        lines["costs minus subsidy"].set_label(
            _subsidy_label(subsidy))
    if target_surplus > 0:
        lines["target"].set_ydata(to_cover)
        lines["target"].set_label(
            _target_label(target_surplus))
    if planned_units is not None:
        lines["planned"].set_xdata([planned_units, planned_units])
        lines["planned"].set_label(_planned_label(planned_units, unit))
    surplus, loss = sorted(fills, key=lambda c: c.get_gid() != "surplus")
    surplus.set_data(q, revenue, to_cover, where=revenue >= to_cover)
    loss.set_data(q, revenue, to_cover, where=revenue <= to_cover)
    point_y = units * price
    points[0].set_offsets([[units, point_y]])
    labels[0].set_text(_point_label(units, unit, point_y, target_surplus))
    labels[0].xy = (units, point_y)
    legend, names = ax.get_legend(), ax.get_legend_handles_labels()[1]
    if legend is None or len(legend.get_texts()) != len(names):
        ax.legend(fontsize=8, loc="upper left")
    else:  # the same entries: only the amounts they name change, so change their text
        for text, name in zip(legend.get_texts(), names):
            if text.get_text() != name:
                text.set_text(name)
    low = min(0.0, float(to_cover.min()), float((total_costs - subsidy).min()))
    high = max(float(np.max(y)) for y in (revenue, total_costs, to_cover))
    return None, (low, high)


def revenue_mix_figure(shares, types=None, title: str | None = None, ax=None):
    """Horizontal bar chart of each revenue source's share, coloured by type of source.

    One bar per source, the first source at the top, each labelled with its percentage.
    Colours (Okabe–Ito): subsidy or grant orange, earned income bluish green, other sky blue;
    the legend names the types that occur.

    Args:
        shares: pandas Series ``{source name: share 0-1}``, e.g.
            :attr:`welfarelab.finance.RevenueMixResult.shares` (or a dict).
        types: optional dict (or Series) ``{source name: "subsidy" | "earned" | "other"}``;
            a source that is not in it counts as "other".
        title: title above the chart; None (default): "Where the money comes from" in the
            language in use; "" for none.
        ax: optional matplotlib Axes to draw on.

    Returns:
        matplotlib Figure (closed in pyplot when made here). x axis "share of total revenue
        (%)", y axis "revenue source".

    Raises:
        ValueError: no sources, a share outside 0-1, a type that is not one of the three.
        TypeError: shares is not a Series or dict, or a share is not a number.
    """
    from collections.abc import Mapping

    import pandas as pd

    from . import validation as check

    if isinstance(shares, Mapping):
        shares = pd.Series(dict(shares), dtype=object)
    if not isinstance(shares, pd.Series):
        raise TypeError(_("shares must be a pandas Series (or dict) {{source name: share "
                          "0-1}}, but it is {kind}.").format(kind=type(shares).__name__))
    if shares.empty:
        raise ValueError(_("shares is empty: give at least one source."))
    names = [str(n) for n in shares.index]
    values = [check.share(v, _("share"), n) for n, v in zip(names, shares.values)]
    types = {} if types is None else {str(k): v for k, v in dict(types).items()}
    kinds = []
    for n in names:
        kind = types.get(n, "other")
        if kind not in REVENUE_TYPE_COLOURS:
            raise ValueError(_("the type of {name} must be 'subsidy', 'earned' or 'other', "
                               "but it is {kind}.").format(name=repr(n), kind=repr(kind)))
        kinds.append(kind)

    size, left = revenue_mix_layout(names)
    fig, ax, made_here = _new_axes(ax, size)
    percent = [100 * v for v in values]
    positions = list(range(len(names)))
    bars = ax.barh(positions, percent, color=[REVENUE_TYPE_COLOURS[k] for k in kinds],
                   edgecolor="black", linewidth=0.5)
    for bar, p in zip(bars, percent):
        ax.annotate(_percent_label(p), xy=(bar.get_width(), bar.get_y() + bar.get_height() / 2),
                    xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(positions, names)
    ax.invert_yaxis()  # first source on top
    ax.set_xlim(0, max(percent) + 12)  # room for the percentage labels
    ax.set_xlabel(_("share of total revenue (%)"))
    ax.set_ylabel(_("revenue source"))
    from matplotlib.patches import Patch

    present = [k for k in REVENUE_TYPE_COLOURS if k in kinds]
    ax.legend(handles=[Patch(facecolor=REVENUE_TYPE_COLOURS[k], edgecolor="black",
                             label=_(REVENUE_TYPE_LABELS[k])) for k in present],
              fontsize=8, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    if title is None:
        title = _("Where the money comes from")
    if title:
        ax.set_title(title)
    return _detached(fig, left=left) if made_here else fig


def _percent_label(percent: float) -> str:
    """A bar's percentage: "24.7 %" in English, "24,7 %" (Belgian, no-break space) else."""
    if babel_locale() is None:
        return f"{percent:.1f} %"
    return number_text(percent, ".1f") + "\u00a0%"


def update_revenue_mix(ax, shares):
    """Move the bars and percentage labels that :func:`revenue_mix_figure` drew on ``ax`` to
    new ``shares``, in place, for a calculator's kept chart
    (:class:`welfarelab.widgets._base.LiveChart`).

    Args:
        ax: Axes that :func:`revenue_mix_figure` drew on, for the same sources (names, order
            and types).
        shares: pandas Series ``{source name: share 0-1}``, as for :func:`revenue_mix_figure`.

    Returns:
        ``((0, xmax), None)``: the percentage range the bars and their labels need; None when
        ``ax`` does not hold such a chart (then draw it anew).

    Raises:
        ValueError: a share outside 0-1. TypeError: a share is not a number.
    """
    from . import validation as check

    names = [str(n) for n in shares.index]
    percent = [100 * check.share(v, _("share"), n) for n, v in zip(names, shares.values)]
    labels = list(ax.texts)
    if (len(ax.containers) != 1 or len(ax.containers[0]) != len(names)
            or len(labels) != len(names)):
        return None
    for bar, label, p in zip(ax.containers[0], labels, percent):
        bar.set_width(p)
        label.set_text(_percent_label(p))
        label.xy = (p, bar.get_y() + bar.get_height() / 2)
    return (0.0, max(percent) + 12), None


def cash_flow_figure(table, title: str | None = None, ax=None):
    """Bar chart of the closing cash balance per month; months below zero stand out.

    One bar per month: blue when the closing balance is 0 or more, vermillion when it is
    below 0. A black line marks 0. Months with a one-off tranche (a ``tranche`` column that
    is not 0) get a label above the bar, e.g. "subsidy +€75,000".

    Args:
        table: DataFrame with the columns ``month`` and ``closing`` (EUR), and optionally
            ``tranche`` (EUR), e.g. :attr:`welfarelab.finance.CashFlowResult.table`.
        title: title above the chart; None (default): "Closing balance, month by month" in
            the language in use; "" for none.
        ax: optional matplotlib Axes to draw on.

    Returns:
        matplotlib Figure (closed in pyplot when made here). x axis "month", y axis "closing
        balance (EUR)".

    Raises:
        ValueError: a missing column or an empty table. TypeError: not a DataFrame.
    """
    _columns(table, ("month", "closing"), "table")
    months = [int(m) for m in table["month"]]
    closing = [float(v) for v in table["closing"]]
    colours = [OKABE_ITO["vermillion"] if v < 0 else OKABE_ITO["blue"] for v in closing]

    fig, ax, made_here = _new_axes(ax, CASH_FLOW_SIZE)
    ax.bar(months, closing, color=colours, edgecolor="black", linewidth=0.5)
    ax.axhline(0, color=OKABE_ITO["black"], linewidth=1)
    if "tranche" in table.columns:
        for m, amount, c in zip(months, table["tranche"], closing):
            if amount:
                ax.annotate(_tranche_label(amount),
                            xy=(m, max(c, 0.0)), xytext=(0, 6), textcoords="offset points",
                            ha="center", va="bottom", fontsize=8, gid="tranche label")
        top = max(max(closing), 0.0)
        if top > 0:
            ax.set_ylim(top=top * 1.3)  # room for the labels
    ax.set_xlabel(_("month"))
    ax.set_ylabel(_("closing balance (EUR)"))
    ax.set_xticks(months)
    if len(months) > 24:
        ax.tick_params(axis="x", labelsize=7, labelrotation=90)
    _eur_axis(ax)
    ax.legend(handles=_cash_flow_handles(closing), fontsize=8, loc="lower left")
    ax.grid(axis="y", alpha=0.3)
    if title is None:
        title = _("Closing balance, month by month")
    if title:
        ax.set_title(title)
    return _detached(fig) if made_here else fig


def update_cash_flow(ax, table):
    """Move the bars and tranche labels that :func:`cash_flow_figure` drew on ``ax`` to the
    closing balances of ``table``, in place, for a calculator's kept chart
    (:class:`welfarelab.widgets._base.LiveChart`).

    Args:
        ax: Axes that :func:`cash_flow_figure` drew on, for the same months and the same
            number of months with a tranche.
        table: DataFrame as for :func:`cash_flow_figure`.

    Returns:
        ``(None, (ymin, ymax))``: the EUR range the data need, with the room above the bars
        that the new figure leaves for the labels; None when ``ax`` does not hold such a
        chart (then draw it anew).

    Raises:
        ValueError: a missing column or an empty table. TypeError: not a DataFrame.
    """
    _columns(table, ("month", "closing"), "table")
    months = [int(m) for m in table["month"]]
    closing = [float(v) for v in table["closing"]]
    tranches = ([(m, a, c) for m, a, c in zip(months, table["tranche"], closing) if a]
                if "tranche" in table.columns else [])
    labels = [t for t in ax.texts if t.get_gid() == "tranche label"]
    if (len(ax.containers) != 1 or len(ax.containers[0]) != len(months)
            or len(labels) != len(tranches)):
        return None
    for bar, m, c in zip(ax.containers[0], months, closing):
        if abs(bar.get_x() + bar.get_width() / 2 - m) > 1e-9:
            return None
        bar.set_height(c)
        bar.set_facecolor(OKABE_ITO["vermillion"] if c < 0 else OKABE_ITO["blue"])
    for label, (m, amount, c) in zip(labels, tranches):
        label.set_text(_tranche_label(amount))
        label.xy = (m, max(c, 0.0))
    ax.legend(handles=_cash_flow_handles(closing), fontsize=8, loc="lower left")
    top = max(max(closing), 0.0)
    if "tranche" in table.columns and top > 0:
        top *= 1.3  # the room the new figure leaves for the labels
    return None, (min(min(closing), 0.0), top)


def _tranche_label(amount: float) -> str:
    """The label above a month with a tranche: "subsidy" and "+€75,000" on two lines."""
    word = _("subsidy") if amount > 0 else _("one-off payment")
    return word + "\n" + ("+" if amount > 0 else "\u2212") + eur_whole(abs(amount))


def _cash_flow_handles(closing):
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=OKABE_ITO["blue"], edgecolor="black", label=_("0 or more"))]
    if any(v < 0 for v in closing):
        handles.append(Patch(facecolor=OKABE_ITO["vermillion"], edgecolor="black",
                             label=_("below zero")))
    return handles


def loan_figure(schedule, kind: str = "split", title: str = "", ax=None):
    """A loan's repayment over time, from :func:`welfarelab.finance.loan_schedule`.

    ``kind="split"``: stacked bars per month of what you pay, interest (vermillion, bottom)
    and principal repaid (blue, on top), as positive amounts: 2 bars per month.
    ``kind="balance"``: one line of the debt still owed, from the principal at month 0 to 0
    after the last payment.

    Args:
        schedule: DataFrame with the columns ``month``, ``interest``, ``principal_repaid``
            (EUR per month, negative: numpy-financial's sign for money paid) and ``balance``
            (EUR), as returned by :func:`welfarelab.finance.loan_schedule`.
        kind: ``"split"`` or ``"balance"``.
        title: title above the chart; default says what is drawn.
        ax: optional matplotlib Axes to draw on.

    Returns:
        matplotlib Figure (closed in pyplot when made here). x axis "month"; y axis "paid
        per month (EUR)" (split) or "balance still owed (EUR)" (balance).

    Raises:
        ValueError: a missing column, an empty table, ``kind`` not "split" or "balance".
        TypeError: not a DataFrame.
    """
    from matplotlib.patches import Patch

    if kind not in ("split", "balance"):
        raise ValueError(_('kind must be "split" or "balance", but it is {kind}.').format(
            kind=repr(kind)))
    _columns(schedule, ("month", "interest", "principal_repaid", "balance"), "schedule")
    months = [int(m) for m in schedule["month"]]
    fig, ax, made_here = _new_axes(ax, LOAN_SIZE)
    if kind == "split":
        interest = [abs(float(v)) for v in schedule["interest"]]
        repaid = [abs(float(v)) for v in schedule["principal_repaid"]]
        edge = {"edgecolor": "black", "linewidth": 0.3} if len(months) <= 60 else {"linewidth": 0}
        ax.bar(months, interest, width=0.9, color=OKABE_ITO["vermillion"], **edge)
        ax.bar(months, repaid, width=0.9, bottom=interest, color=OKABE_ITO["blue"], **edge)
        ax.legend(handles=[Patch(facecolor=OKABE_ITO["blue"], label=_("principal repaid")),
                           Patch(facecolor=OKABE_ITO["vermillion"], label=_("interest"))],
                  fontsize=8, loc="upper right", ncols=2)
        highest = max(i + r for i, r in zip(interest, repaid))
        ax.set_ylim(0, highest * 1.25 if highest > 0 else 1)  # room for the legend
        ax.set_ylabel(_("paid per month (EUR)"))
        default_title = _("What each monthly payment pays for")
    else:
        # the debt before the first payment: balance after it, plus the principal it repaid
        start = float(schedule["balance"].iloc[0]) - float(schedule["principal_repaid"].iloc[0])
        ax.plot([0] + months, [start] + [float(v) for v in schedule["balance"]],
                color=OKABE_ITO["blue"], linewidth=2, marker="o" if len(months) <= 36 else None,
                markersize=3, label=_("balance still owed"))
        ax.set_ylim(bottom=0)
        ax.set_ylabel(_("balance still owed (EUR)"))
        default_title = _("How the debt goes down")
    ax.set_xlabel(_("month"))
    _eur_axis(ax)
    ax.grid(axis="y", alpha=0.3)
    ax.set_title(title or default_title)
    return _detached(fig) if made_here else fig


def update_loan(ax, schedule, kind: str = "split"):
    """Move the bars (``kind="split"``) or the line (``"balance"``) that :func:`loan_figure`
    drew on ``ax`` to a new schedule of the same number of months, in place, for a
    calculator's kept chart (:class:`welfarelab.widgets._base.LiveChart`).

    Args:
        ax: Axes that :func:`loan_figure` drew on with the same ``kind`` and months.
        schedule: DataFrame as for :func:`loan_figure`.
        kind: ``"split"`` or ``"balance"``.

    Returns:
        ``(None, (0, ymax))``: the EUR range the data need (with the room above the bars that
        the new figure leaves for the legend); None when ``ax`` does not hold such a chart.

    Raises:
        ValueError: a missing column, an empty table. TypeError: not a DataFrame.
    """
    _columns(schedule, ("month", "interest", "principal_repaid", "balance"), "schedule")
    months = len(schedule)
    if kind == "split":
        if len(ax.containers) != 2 or any(len(c) != months for c in ax.containers):
            return None
        interest = [abs(float(v)) for v in schedule["interest"]]
        repaid = [abs(float(v)) for v in schedule["principal_repaid"]]
        for bar, i in zip(ax.containers[0], interest):
            bar.set_height(i)
        for bar, i, r in zip(ax.containers[1], interest, repaid):
            bar.set_y(i)
            bar.set_height(r)
        highest = max(i + r for i, r in zip(interest, repaid))
        return None, (0.0, highest * 1.25 if highest > 0 else 1.0)
    if ax.containers or len(ax.lines) != 1 or len(ax.lines[0].get_ydata()) != months + 1:
        return None
    start = float(schedule["balance"].iloc[0]) - float(schedule["principal_repaid"].iloc[0])
    values = [start] + [float(v) for v in schedule["balance"]]
    ax.lines[0].set_ydata(values)
    return None, (0.0, max(values))
