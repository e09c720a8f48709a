"""Figures shared by the calculators: one colour-blind-safe palette, labelled axes with units.

matplotlib is imported inside each function, so importing this module stays cheap.
"""

from __future__ import annotations

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


def _detached(fig):
    """Close ``fig`` in pyplot and return it: it shows once, as a cell's last line or display()."""
    import matplotlib.pyplot as plt

    plt.close(fig)
    return fig


def _eur_axis(ax):
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"€{v:,.0f}"))


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
        fig, ax = plt.subplots(figsize=(7.5, 3.8), layout="constrained")
    else:
        fig = ax.figure
    labels = list(steps.index)
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
    ax.bar(labels, heights, bottom=bottoms, color=colours, edgecolor="black", linewidth=0.5)
    if investment is not None:
        ax.axhline(investment, color=OKABE_ITO["black"], linestyle="--", linewidth=1)
        ax.annotate("investment (ratio 1 : 1)", xy=(-0.4, investment), xytext=(0, 3),
                    textcoords="offset points", ha="left", fontsize=8)
    ax.set_ylabel("value (EUR, over the whole duration)")
    ax.set_xlabel("step of the SROI calculation")
    ax.tick_params(axis="x", labelrotation=20, labelsize=8)
    _eur_axis(ax)
    if title:
        ax.set_title(title)
    return _detached(fig)


def yearly_bars_figure(yearly_values, title: str = "", ax=None):
    """Bar chart of value per year (EUR per year), year 1 first. Returns the Figure."""
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=(6, 3.2), layout="constrained")
    else:
        fig = ax.figure
    years = list(range(1, len(yearly_values) + 1))
    ax.bar(years, list(yearly_values), color=OKABE_ITO["bluish green"], edgecolor="black",
           linewidth=0.5)
    ax.set_xlabel("year")
    ax.set_ylabel("value (EUR per year)")
    ax.set_xticks(years)
    _eur_axis(ax)
    if title:
        ax.set_title(title)
    return _detached(fig)
