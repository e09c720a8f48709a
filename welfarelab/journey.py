"""Customer-journey maps and service blueprints, as small models to fill in, check and save.

Two tools of service design (module m03), each a frozen dataclass that checks its input,
computes a few figures and saves itself as JSON like :mod:`welfarelab.canvas`:

* :class:`Journey`: a **customer-journey map**: one persona and the stages they go through,
  in order. Each :class:`Stage` holds the touchpoints (where the person meets the service),
  the channel, who the person deals with (``actor``), what the person does, thinks and feels
  (a feeling score from -2, very bad, to +2, very good), the pain points and the
  opportunities the team sees. Method: M. Stickdorn & J. Schneider (2011), *This is Service
  Design Thinking: Basics, Tools, Cases*, BIS Publishers (the customer-journey map as a
  structured picture of a user's experience, touchpoint by touchpoint, with their emotions),
  and M. Stickdorn, M. E. Hormess, A. Lawrence & J. Schneider (2018), *This Is Service Design
  Doing*, O'Reilly (journey maps with stages, actions, an emotional curve, pain points and
  opportunities).
* :class:`Blueprint`: a **service blueprint**: per step, the physical evidence, the
  customer's action, and what the organisation does *frontstage* (visible to the person),
  *backstage* (invisible) and in *support processes*, separated by the line of interaction,
  the line of visibility and the line of internal interaction. Method: G. L. Shostack (1984),
  "Designing services that deliver", *Harvard Business Review* 62(1), 133-139 (the
  blueprint and its line of visibility), and M. J. Bitner, A. L. Ostrom & F. N. Morgan (2008),
  "Service blueprinting: a practical technique for service innovation", *California
  Management Review* 50(3), 66-94 (the five components, customer actions, onstage and
  backstage contact-employee actions, support processes and physical evidence, and the three
  lines; read in the authors' working paper, Center for Services Leadership, Arizona State
  University, 2007).

The figures derived from a map are the course's own simple rules, each stated in its
docstring: the **moment of truth** (the stage with the lowest feeling score; the term comes
from R. Normann (1984), *Service Management*, and J. Carlzon (1987), *Moments of Truth*),
the **handovers** (the person is passed on to another actor), the stages with a pain point
and no opportunity yet, and the handovers across the line of visibility of a blueprint.

Typical use in a notebook::

    from welfarelab.journey import Journey, Stage
    journey = Journey(persona="household with unpaid bills", stages=[
        Stage("letter from the energy supplier", actor="energy supplier", channel="post",
              emotion=-1, pain_points=["afraid to open the post"]),
        Stage("first visit to the OCMW", actor="OCMW social worker", channel="desk",
              emotion=-2, pain_points=["tells the story again"],
              opportunities=["one shared intake form"]),
    ])
    journey.moment_of_truth().name    # 'first visit to the OCMW'
    journey.handovers()               # 1
    journey.figure()                  # the emotional curve
    journey.save("my-journey.json")   # and Journey.load("my-journey.json")

matplotlib is imported only inside :meth:`Journey.figure`, and pandas only inside the
``to_frame`` methods, so importing this module stays fast.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

#: Version of the JSON file format written by ``save``. Files of a higher version are refused.
FORMAT_VERSION = 1

#: The "kind" written in a journey file and in a blueprint file.
JOURNEY_KIND = "customer-journey-map"
BLUEPRINT_KIND = "service-blueprint"

#: The feeling score of a stage: whole numbers from -2 (very bad) to +2 (very good).
EMOTION_MIN = -2
EMOTION_MAX = 2

#: Words for each feeling score (for tables, the figure and the widget).
EMOTION_WORDS = {-2: "very bad", -1: "bad", 0: "neutral", 1: "good", 2: "very good"}

#: The lanes of a blueprint, top to bottom, with the line drawn below each (Bitner, Ostrom &
#: Morgan 2008; physical evidence sits above the customer's actions).
BLUEPRINT_LANES = (
    ("evidence", "Physical evidence", None),
    ("customer_action", "Customer actions", "line of interaction"),
    ("frontstage", "Frontstage (onstage, visible) actions", "line of visibility"),
    ("backstage", "Backstage (invisible) actions", "line of internal interaction"),
    ("support", "Support processes", None),
)


# ---------------------------------------------------------------------------- checks

def _text(value, field_name: str, where: str, required: bool = False) -> str:
    """A stripped string; TypeError (not text) or ValueError (empty but required)."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise TypeError(
            f"The {field_name} of {where} must be text in quotes, but it is {value!r} "
            f"({type(value).__name__})."
        )
    value = value.strip()
    if required and not value:
        raise ValueError(f"The {field_name} of {where} is empty: give it a short text.")
    return value


def _texts(value, field_name: str, where: str) -> tuple[str, ...]:
    """A tuple of non-empty stripped strings from a list of strings (or one string)."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise TypeError(
            f"The {field_name} of {where} must be a list of texts, such as "
            f"['first note', 'second note'], but it is {value!r} ({type(value).__name__})."
        )
    items = []
    for i, item in enumerate(value, start=1):
        if not isinstance(item, str):
            raise TypeError(
                f"Item {i} of the {field_name} of {where} must be text in quotes, but it is "
                f"{item!r} ({type(item).__name__})."
            )
        if item.strip():
            items.append(item.strip())
    return tuple(items)


def _emotion(value, where: str) -> int:
    """A whole feeling score from EMOTION_MIN to EMOTION_MAX."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (
            isinstance(value, float) and not value.is_integer()):
        raise TypeError(
            f"The feeling score (emotion) of {where} must be a whole number from "
            f"{EMOTION_MIN} (very bad) to +{EMOTION_MAX} (very good), but it is {value!r}."
        )
    value = int(value)
    if not EMOTION_MIN <= value <= EMOTION_MAX:
        raise ValueError(
            f"The feeling score (emotion) of {where} is {value}; it must be from "
            f"{EMOTION_MIN} (very bad) to +{EMOTION_MAX} (very good)."
        )
    return value


def _signed(score: int) -> str:
    """A feeling score with its sign: "+2", "-1", "0"."""
    return f"{score:+d}" if score else "0"


def _unique_names(names, what: str) -> None:
    seen = set()
    for name in names:
        key = name.casefold()
        if key in seen:
            raise ValueError(f"Two {what}s are called {name!r}: give every {what} its own name.")
        seen.add(key)


def _check_version(data: dict, kind: str, name: str) -> None:
    """The "kind" and "version" fields of a saved file, as :mod:`welfarelab.canvas` checks."""
    if not isinstance(data, dict):
        raise TypeError(f"A {name} must be read from a dictionary (JSON object), but this is "
                        f"{type(data).__name__} {data!r:.60}.")
    found = data.get("kind")
    if found != kind:
        raise ValueError(f"This is not a {name}: its \"kind\" is {found!r}, expected {kind!r}.")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValueError(f"The \"version\" must be a whole number from 1, not {version!r}.")
    if version > FORMAT_VERSION:
        raise ValueError(
            f"This {name} was saved by a newer welfarelab (format version {version}); this one "
            f"reads up to version {FORMAT_VERSION}. Update welfarelab."
        )


def _fields(data, allowed: tuple[str, ...], where: str) -> dict:
    if not isinstance(data, dict):
        raise TypeError(f"{where} must be a dictionary (JSON object), not "
                        f"{type(data).__name__} {data!r:.60}.")
    unknown = [key for key in data if key not in allowed]
    if unknown:
        raise ValueError(f"Unknown field(s) {', '.join(map(repr, unknown))} in {where}. "
                         f"The fields are: {', '.join(allowed)}.")
    return data


def _write(data: dict, path) -> Path:
    path = Path(os.fspath(path))
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def _read(path):
    path = Path(os.fspath(path))
    text = path.read_text(encoding="utf-8")
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise ValueError(f"Cannot load {str(path)!r}: it is not valid JSON ({err.msg} on line "
                         f"{err.lineno}).") from None


# ---------------------------------------------------------------------------- journey

@dataclass(frozen=True)
class Stage:
    """One stage of a customer journey, as the person lives it.

    Attributes:
        name: a short name of the stage, e.g. ``"first visit to the OCMW"`` (required, unique
            within the journey, ignoring upper and lower case).
        touchpoints: where the person meets the service in this stage (a list of texts, e.g.
            ``["waiting room", "intake form"]``).
        channel: how: ``"desk"``, ``"phone"``, ``"home visit"``, ``"website"``, ... (text).
        actor: who the person deals with in this stage (a worker, a service, nobody: ``""``).
            Used to count handovers.
        actions: what the person does (text).
        thoughts: what the person thinks or says, in their words (text).
        emotion: how the person feels: a whole number from -2 (very bad) to +2 (very good).
        pain_points: what goes wrong or hurts (a list of texts).
        opportunities: what the team could improve here (a list of texts).

    A single text for a list field becomes a list of one; empty items are dropped.

    Raises:
        TypeError: a field has the wrong type (the message names the field and the stage).
        ValueError: the name is empty, or the emotion is outside -2 to +2.
    """

    name: str
    touchpoints: tuple[str, ...] = ()
    channel: str = ""
    actor: str = ""
    actions: str = ""
    thoughts: str = ""
    emotion: int = 0
    pain_points: tuple[str, ...] = ()
    opportunities: tuple[str, ...] = ()

    FIELDS = ("name", "touchpoints", "channel", "actor", "actions", "thoughts", "emotion",
              "pain_points", "opportunities")

    def __post_init__(self):
        name = _text(self.name, "name", "a stage", required=True)
        where = f"stage {name!r}"
        set_ = object.__setattr__
        set_(self, "name", name)
        for key in ("channel", "actor", "actions", "thoughts"):
            set_(self, key, _text(getattr(self, key), key, where))
        for key in ("touchpoints", "pain_points", "opportunities"):
            set_(self, key, _texts(getattr(self, key), key.replace("_", " "), where))
        set_(self, "emotion", _emotion(self.emotion, where))

    @property
    def unaddressed(self) -> bool:
        """True when the stage has a pain point and no opportunity yet."""
        return bool(self.pain_points) and not self.opportunities

    def to_dict(self) -> dict:
        """The stage as a plain dictionary (lists for the list fields), ready for JSON."""
        return {key: list(value) if isinstance(value, tuple) else value
                for key, value in ((k, getattr(self, k)) for k in self.FIELDS)}

    @classmethod
    def from_dict(cls, data: dict, position: int | None = None) -> Stage:
        """A stage from a dictionary made by :meth:`to_dict`.

        Raises:
            TypeError: ``data`` is not a dictionary, or a field has the wrong type.
            ValueError: an unknown field, an empty name or an emotion outside -2 to +2.
        """
        where = "a stage" if position is None else f"stage number {position}"
        data = _fields(data, cls.FIELDS, where)
        if "name" not in data:
            raise ValueError(f"{where.capitalize()} has no \"name\".")
        return cls(**data)


@dataclass(frozen=True)
class Journey:
    """A customer-journey map: a persona and the stages they go through, in order.

    Attributes:
        persona: whose journey it is, e.g. ``"household with unpaid bills"`` (required).
        stages: the stages in the order the person lives them (a list of :class:`Stage`, or
            of dictionaries with the same fields); at least one, names unique.
        title: optional title of the map.

    Raises:
        TypeError: the persona or title is not text, or a stage is not a Stage or dictionary.
        ValueError: no persona, no stages, or two stages with the same name.

    Source of the method: Stickdorn & Schneider (2011) and Stickdorn et al. (2018), see the
    module docstring. The figures (moment of truth, handovers, unaddressed stages) are this
    course's rules, stated in each method.
    """

    persona: str
    stages: tuple[Stage, ...] = field(default_factory=tuple)
    title: str = ""

    KIND = JOURNEY_KIND
    NAME = "customer-journey map"

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "persona", _text(self.persona, "persona", "the journey", required=True))
        set_(self, "title", _text(self.title, "title", "the journey"))
        stages = self.stages
        if isinstance(stages, (Stage, dict)) or not isinstance(stages, (list, tuple)):
            raise TypeError("stages must be a list of stages, e.g. [Stage('first contact', "
                            f"emotion=-1), ...], not {type(stages).__name__}.")
        made = []
        for i, stage in enumerate(stages, start=1):
            if isinstance(stage, dict):
                stage = Stage.from_dict(stage, i)
            elif not isinstance(stage, Stage):
                raise TypeError(f"Stage number {i} must be a Stage(...) or a dictionary, not "
                                f"{stage!r:.60} ({type(stage).__name__}).")
            made.append(stage)
        if not made:
            raise ValueError("The journey has no stages: give at least one stage.")
        _unique_names([s.name for s in made], "stage")
        set_(self, "stages", tuple(made))

    # ------------------------------------------------------------------ lookups and figures

    def stage_names(self) -> list[str]:
        """The names of the stages, in order."""
        return [s.name for s in self.stages]

    def stage(self, name: str) -> Stage:
        """The stage with this name (ignoring upper and lower case).

        Raises:
            ValueError: no such stage; the message lists the names.
        """
        key = _text(name, "name", "the stage you asked for", required=True).casefold()
        for stage in self.stages:
            if stage.name.casefold() == key:
                return stage
        raise ValueError(f"The journey has no stage called {name!r}. The stages are: "
                         f"{', '.join(self.stage_names())}.")

    def emotion_curve(self) -> list[int]:
        """The feeling score of each stage, in order (-2 very bad to +2 very good)."""
        return [s.emotion for s in self.stages]

    def moment_of_truth(self) -> Stage:
        """The stage where the person feels worst: the lowest feeling score.

        When several stages share the lowest score, the **first** of them counts (the course's
        rule: the first time it goes badly is where people give up). The term "moment of
        truth" is R. Normann's (1984) and J. Carlzon's (1987): the encounter that decides how
        a person judges the whole service.

        Returns:
            The :class:`Stage`; its ``.name`` is the name.
        """
        lowest = min(self.emotion_curve())
        return next(s for s in self.stages if s.emotion == lowest)

    def handovers(self) -> int:
        """How many times the person is passed on to another actor between two stages.

        Counts consecutive stages whose ``actor`` differs (ignoring upper and lower case and
        spaces around it). A stage without an actor (the person alone, e.g. reading a letter)
        is skipped: the handover is counted between the actors around it.

        Returns:
            int, 0 or more.
        """
        actors = [s.actor.casefold() for s in self.stages if s.actor]
        return sum(1 for before, after in pairwise(actors) if before != after)

    def actors(self) -> list[str]:
        """The actors the person meets, each once, in the order of first meeting."""
        seen: dict[str, str] = {}
        for stage in self.stages:
            if stage.actor and stage.actor.casefold() not in seen:
                seen[stage.actor.casefold()] = stage.actor
        return list(seen.values())

    def unaddressed_stages(self) -> list[str]:
        """Names of the stages with at least one pain point and no opportunity yet, in order."""
        return [s.name for s in self.stages if s.unaddressed]

    def pain_point_count(self) -> int:
        """The number of pain points over all stages."""
        return sum(len(s.pain_points) for s in self.stages)

    def to_frame(self):
        """The journey as a pandas DataFrame: one row per stage, in order.

        Columns: ``stage``, ``actor``, ``channel``, ``touchpoints`` (joined with "; "),
        ``emotion`` (int), ``feeling`` (the word for the score), ``pain points`` and
        ``opportunities`` (joined with "; ").
        """
        import pandas as pd

        return pd.DataFrame({
            "stage": self.stage_names(),
            "actor": [s.actor for s in self.stages],
            "channel": [s.channel for s in self.stages],
            "touchpoints": ["; ".join(s.touchpoints) for s in self.stages],
            "emotion": self.emotion_curve(),
            "feeling": [EMOTION_WORDS[s.emotion] for s in self.stages],
            "pain points": ["; ".join(s.pain_points) for s in self.stages],
            "opportunities": ["; ".join(s.opportunities) for s in self.stages],
        })

    def alt_text(self) -> str:
        """The text alternative of :meth:`figure`: the curve in words, with the moment of truth."""
        points = ", ".join(f"{s.name} {_signed(s.emotion)}" for s in self.stages)
        low = self.moment_of_truth()
        return (f"Figure: the emotional curve of the journey of '{self.persona}', one point per "
                f"stage from left to right, feeling from -2 (very bad) to +2 (very good): "
                f"{points}. The lowest point, the moment of truth, is '{low.name}' "
                f"({_signed(low.emotion)}).")

    def figure(self, ax=None, title: str | None = None):
        """Draw the emotional curve: the feeling score per stage, stages left to right.

        The curve is blue, the zero line grey, the moment of truth a vermillion point with a
        label (Okabe-Ito colours); the y axis runs from -2 (very bad) to +2 (very good).

        Args:
            ax: an existing matplotlib Axes to draw on (e.g. a calculator's kept chart);
                default a new figure.
            title: the title; default "Emotional curve: <persona>".

        Returns:
            the matplotlib Figure (closed in pyplot when made here, so it shows once as a
            cell's last line). Its text alternative is :meth:`alt_text`.
        """
        import textwrap

        import matplotlib.pyplot as plt

        from .plotting import OKABE_ITO

        made = ax is None
        if made:
            fig, ax = plt.subplots(figsize=(max(6.0, 1.6 * len(self.stages) + 2), 3.8))
        else:
            fig = ax.figure
        x = list(range(len(self.stages)))
        y = self.emotion_curve()
        ax.axhline(0, color=OKABE_ITO["grey"], linewidth=1)
        ax.plot(x, y, color=OKABE_ITO["blue"], linewidth=2, marker="o", markersize=7,
                label="how the person feels")
        low = self.stages.index(self.moment_of_truth())
        ax.scatter([low], [y[low]], s=160, color=OKABE_ITO["vermillion"], zorder=5,
                   label="moment of truth (lowest point)")
        ax.annotate("moment of truth", (low, y[low]), xytext=(0, -18),
                    textcoords="offset points", ha="center", va="top", fontsize=9,
                    color=OKABE_ITO["black"])
        ax.set_xticks(x)
        ax.set_xticklabels([textwrap.fill(n, 16) for n in self.stage_names()], fontsize=8)
        ax.set_xlim(-0.5, len(x) - 0.5)
        ax.set_ylim(EMOTION_MIN - 0.9, EMOTION_MAX + 0.5)
        ax.set_yticks(range(EMOTION_MIN, EMOTION_MAX + 1))
        ax.set_yticklabels([f"{v:+d} {EMOTION_WORDS[v]}" if v else "0 neutral"
                            for v in range(EMOTION_MIN, EMOTION_MAX + 1)], fontsize=8)
        ax.set_xlabel("stage of the journey (in order)")
        ax.set_ylabel("feeling (score -2 to +2)")
        ax.set_title(title if title is not None else f"Emotional curve: {self.persona}",
                     fontsize=10)
        ax.grid(axis="y", color="#dddddd")
        ax.legend(loc="upper right", fontsize=8, frameon=False)
        if made:
            fig.tight_layout()
            plt.close(fig)
        return fig

    # ------------------------------------------------------------------ saving and loading

    def to_dict(self) -> dict:
        """The journey as a plain dictionary, ready for JSON.

        Returns:
            ``{"kind": "customer-journey-map", "version": 1, "title": str, "persona": str,
            "stages": [stage dict, ...]}``, the stages in order (see :meth:`Stage.to_dict`).
        """
        return {"kind": self.KIND, "version": FORMAT_VERSION, "title": self.title,
                "persona": self.persona, "stages": [s.to_dict() for s in self.stages]}

    @classmethod
    def from_dict(cls, data: dict) -> Journey:
        """A journey from a dictionary made by :meth:`to_dict`.

        Raises:
            TypeError: ``data`` or a stage is not a dictionary, or a field has the wrong type.
            ValueError: the "kind" is not a journey map, the "version" is newer than this
                welfarelab reads, an unknown field, or a field's value is not allowed.
        """
        _check_version(data, cls.KIND, cls.NAME)
        data = _fields(data, ("kind", "version", "title", "persona", "stages"), "the journey")
        stages = data.get("stages", [])
        if not isinstance(stages, list):
            raise TypeError("\"stages\" must be a list of stages (JSON array).")
        return cls(persona=data.get("persona", ""), title=data.get("title", ""),
                   stages=[Stage.from_dict(s, i) for i, s in enumerate(stages, start=1)])

    def to_json(self) -> str:
        """The journey as JSON text (UTF-8, indented), as :meth:`save` writes it."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Journey:
        """A journey from JSON text made by :meth:`to_json`.

        Raises:
            ValueError: not valid JSON, or see :meth:`from_dict`. TypeError: see from_dict.
        """
        if not isinstance(text, (str, bytes)):
            raise TypeError(f"from_json needs JSON text, not {type(text).__name__}.")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise ValueError(f"This is not valid JSON ({err.msg} on line {err.lineno}).") from None
        return cls.from_dict(data)

    def save(self, path) -> Path:
        """Write the journey to ``path`` as JSON (UTF-8). Returns the path written."""
        return _write(self.to_dict(), path)

    @classmethod
    def load(cls, path) -> Journey:
        """Read a journey saved with :meth:`save`.

        Raises:
            FileNotFoundError / OSError: the file cannot be read.
            ValueError, TypeError: the file is not valid JSON or not a journey map (see
                :meth:`from_dict`); the message names the file when it is not JSON.
        """
        return cls.from_dict(_read(path))


# ---------------------------------------------------------------------------- blueprint

@dataclass(frozen=True)
class Action:
    """One action in a lane of a blueprint: who does what.

    Attributes:
        actor: who does it, e.g. ``"OCMW social worker"`` (required).
        action: what they do, e.g. ``"asks about income and debts"`` (required).
    """

    actor: str
    action: str

    def __post_init__(self):
        object.__setattr__(self, "actor", _text(self.actor, "actor", "an action", True))
        object.__setattr__(self, "action", _text(self.action, "action",
                                                 f"the action of {self.actor!r}", True))

    @classmethod
    def make(cls, value, where: str) -> Action:
        """An Action from an Action, a dict {"actor", "action"} or a pair (actor, action)."""
        if isinstance(value, Action):
            return value
        if isinstance(value, dict):
            _fields(value, ("actor", "action"), f"an action of {where}")
            return cls(value.get("actor"), value.get("action"))
        if isinstance(value, (list, tuple)) and len(value) == 2:
            return cls(*value)
        raise TypeError(f"An action of {where} must be a pair (actor, action), e.g. "
                        f"('OCMW social worker', 'asks about debts'), not {value!r:.60}.")


@dataclass(frozen=True)
class BlueprintStep:
    """One step (column) of a service blueprint.

    Attributes:
        name: a short name of the step (required, unique within the blueprint).
        customer_action: what the person does in this step (required: the blueprint is
            built around the customer's actions, Bitner et al. 2008).
        evidence: physical evidence the person sees or gets (a list of texts).
        frontstage: actions of staff or systems the person sees (above the line of
            visibility): a list of (actor, action) pairs.
        backstage: actions of staff the person does not see (below the line of visibility).
        support: support processes (below the line of internal interaction): other
            services, software, rules.

    Raises:
        TypeError / ValueError: naming the field and the step.
    """

    name: str
    customer_action: str
    evidence: tuple[str, ...] = ()
    frontstage: tuple[Action, ...] = ()
    backstage: tuple[Action, ...] = ()
    support: tuple[Action, ...] = ()

    FIELDS = ("name", "customer_action", "evidence", "frontstage", "backstage", "support")

    def __post_init__(self):
        name = _text(self.name, "name", "a blueprint step", required=True)
        where = f"step {name!r}"
        set_ = object.__setattr__
        set_(self, "name", name)
        set_(self, "customer_action", _text(self.customer_action, "customer action", where,
                                            required=True))
        set_(self, "evidence", _texts(self.evidence, "physical evidence", where))
        for lane in ("frontstage", "backstage", "support"):
            value = getattr(self, lane)
            if value is None:
                value = ()
            if isinstance(value, (Action, dict)) or (
                    isinstance(value, tuple) and len(value) == 2
                    and all(isinstance(v, str) for v in value)):
                value = [value]  # one action given alone
            if not isinstance(value, (list, tuple)):
                raise TypeError(f"The {lane} of {where} must be a list of (actor, action) "
                                f"pairs, not {type(value).__name__}.")
            set_(self, lane, tuple(Action.make(v, f"the {lane} of {where}") for v in value))

    def to_dict(self) -> dict:
        """The step as a plain dictionary, ready for JSON."""
        lanes = {lane: [{"actor": a.actor, "action": a.action} for a in getattr(self, lane)]
                 for lane in ("frontstage", "backstage", "support")}
        return {"name": self.name, "customer_action": self.customer_action,
                "evidence": list(self.evidence), **lanes}

    @classmethod
    def from_dict(cls, data: dict, position: int | None = None) -> BlueprintStep:
        """A step from a dictionary made by :meth:`to_dict`."""
        where = "a step" if position is None else f"step number {position}"
        data = _fields(data, cls.FIELDS, where)
        for key in ("name", "customer_action"):
            if key not in data:
                raise ValueError(f"{where.capitalize()} has no \"{key}\".")
        return cls(**data)


@dataclass(frozen=True)
class Blueprint:
    """A service blueprint: the steps of a service, each with its lanes and lines.

    Lanes, top to bottom (Bitner, Ostrom & Morgan 2008): physical evidence, customer actions,
    *line of interaction*, frontstage actions, *line of visibility*, backstage actions,
    *line of internal interaction*, support processes. Shostack (1984) introduced the
    blueprint and its line of visibility.

    Attributes:
        steps: the steps in order (:class:`BlueprintStep` or dictionaries); at least one.
        title: optional title, e.g. ``"GBO intake of a household with unpaid bills"``.

    Raises:
        TypeError / ValueError: no steps, two steps with the same name, or a bad step.
    """

    steps: tuple[BlueprintStep, ...] = field(default_factory=tuple)
    title: str = ""

    KIND = BLUEPRINT_KIND
    NAME = "service blueprint"

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "title", _text(self.title, "title", "the blueprint"))
        steps = self.steps
        if isinstance(steps, (BlueprintStep, dict)) or not isinstance(steps, (list, tuple)):
            raise TypeError(f"steps must be a list of steps, not {type(steps).__name__}.")
        made = []
        for i, step in enumerate(steps, start=1):
            if isinstance(step, dict):
                step = BlueprintStep.from_dict(step, i)
            elif not isinstance(step, BlueprintStep):
                raise TypeError(f"Step number {i} must be a BlueprintStep(...) or a dictionary, "
                                f"not {step!r:.60} ({type(step).__name__}).")
            made.append(step)
        if not made:
            raise ValueError("The blueprint has no steps: give at least one step.")
        _unique_names([s.name for s in made], "step")
        set_(self, "steps", tuple(made))

    def step_names(self) -> list[str]:
        """The names of the steps, in order."""
        return [s.name for s in self.steps]

    def interactions(self) -> int:
        """How many steps cross the line of interaction: steps with a frontstage action."""
        return sum(1 for s in self.steps if s.frontstage)

    def handovers_across_visibility(self) -> int:
        """How many times the case is handed, out of the person's sight, to another actor.

        Course's rule: in each step, every backstage actor who is not one of that step's
        frontstage actors counts once (the work crosses the line of visibility to someone
        the person never meets in that step). Summed over the steps. A frontstage worker who
        also does backstage work in the same step is no handover.

        Returns:
            int, 0 or more.
        """
        total = 0
        for step in self.steps:
            front = {a.actor.casefold() for a in step.frontstage}
            back = {a.actor.casefold() for a in step.backstage}
            total += len(back - front)
        return total

    def frontstage_handovers(self) -> int:
        """How many times the person faces a new frontstage actor from one step to the next.

        Course's rule: between consecutive steps with frontstage actions, count a handover
        when the first frontstage actor differs (ignoring upper and lower case). Steps
        without frontstage actions are skipped.
        """
        actors = [s.frontstage[0].actor.casefold() for s in self.steps if s.frontstage]
        return sum(1 for before, after in pairwise(actors) if before != after)

    def actors(self, lane: str | None = None) -> list[str]:
        """The actors of one lane ("frontstage", "backstage", "support") or of all lanes,
        each once, in order of appearance.

        Raises:
            ValueError: an unknown lane.
        """
        lanes = ("frontstage", "backstage", "support")
        if lane is not None and lane not in lanes:
            raise ValueError(f"lane must be one of {', '.join(lanes)}, not {lane!r}.")
        seen: dict[str, str] = {}
        for step in self.steps:
            for name in ([lane] if lane else lanes):
                for action in getattr(step, name):
                    seen.setdefault(action.actor.casefold(), action.actor)
        return list(seen.values())

    def to_frame(self):
        """The blueprint as a pandas DataFrame: one row per lane (top to bottom), one column
        per step, with a row per line ("— line of visibility —") between the lanes."""
        import pandas as pd

        rows, index = [], []
        for key, label, line in BLUEPRINT_LANES:
            cells = []
            for step in self.steps:
                value = getattr(step, key)
                if key == "customer_action":
                    cells.append(value)
                elif key == "evidence":
                    cells.append("; ".join(value))
                else:
                    cells.append("; ".join(f"{a.actor}: {a.action}" for a in value))
            rows.append(cells)
            index.append(label)
            if line:
                rows.append(["—"] * len(self.steps))
                index.append(f"— {line} —")
        return pd.DataFrame(rows, index=index, columns=self.step_names())

    def alt_text(self) -> str:
        """The text alternative of :meth:`figure`: the lanes per step, and the handovers."""
        parts = []
        for step in self.steps:
            front = "; ".join(f"{a.actor} {a.action}" for a in step.frontstage) or "nobody"
            back = "; ".join(f"{a.actor} {a.action}" for a in step.backstage) or "nothing"
            parts.append(f"step '{step.name}': the person {step.customer_action}; in sight: "
                         f"{front}; out of sight: {back}")
        return (f"Figure: a service blueprint with {len(self.steps)} steps as columns and the "
                f"lanes physical evidence, customer actions, frontstage, backstage and support "
                f"processes as rows, separated by the line of interaction, the line of "
                f"visibility and the line of internal interaction. " + ". ".join(parts) +
                f". Handovers across the line of visibility: "
                f"{self.handovers_across_visibility()}.")

    def figure(self, title: str | None = None):
        """Draw the blueprint: one column per step, one row per lane, the three lines dashed.

        A backstage action by an actor who is not frontstage in the same step (a handover
        across the line of visibility, :meth:`handovers_across_visibility`) is drawn in a
        vermillion box; other actions in blue boxes; customer actions in green (Okabe-Ito).

        Returns:
            the matplotlib Figure, closed in pyplot (shows once as a cell's last line). Its
            text alternative is :meth:`alt_text`.
        """
        import textwrap

        import matplotlib.pyplot as plt

        from .plotting import OKABE_ITO

        n = len(self.steps)
        lanes = BLUEPRINT_LANES
        fig, ax = plt.subplots(figsize=(2.2 + 2.6 * n, 7.2))
        ax.set_xlim(0, n)
        ax.set_ylim(0, len(lanes))
        ax.invert_yaxis()
        ax.set_xticks([i + 0.5 for i in range(n)])
        ax.set_xticklabels([textwrap.fill(name, 22) for name in self.step_names()], fontsize=8)
        ax.xaxis.tick_top()
        ax.set_yticks([i + 0.5 for i in range(len(lanes))])
        ax.set_yticklabels([textwrap.fill(label, 16) for _, label, _ in lanes], fontsize=8)
        ax.tick_params(length=0)
        for row, (_, _, line) in enumerate(lanes):
            if line:
                ax.axhline(row + 1, color=OKABE_ITO["black"], linestyle="--", linewidth=1)
                ax.text(n - 0.02, row + 1 - 0.03, line, ha="right", va="bottom", fontsize=7,
                        style="italic")
        for col in range(1, n):
            ax.axvline(col, color="#dddddd", linewidth=0.8)
        for col, step in enumerate(self.steps):
            front = {a.actor.casefold() for a in step.frontstage}
            for row, (key, _, _) in enumerate(lanes):
                value = getattr(step, key)
                if key == "customer_action":
                    items = [(value, OKABE_ITO["bluish green"])]
                elif key == "evidence":
                    items = [(text, OKABE_ITO["grey"]) for text in value]
                else:
                    items = [(f"{a.actor}: {a.action}",
                              OKABE_ITO["vermillion"] if key == "backstage"
                              and a.actor.casefold() not in front else OKABE_ITO["blue"])
                             for a in value]
                if not items:
                    continue
                height = 0.9 / len(items)
                for k, (text, colour) in enumerate(items):
                    ax.text(col + 0.5, row + 0.05 + height * (k + 0.5),
                            textwrap.fill(text, 26), ha="center", va="center", fontsize=7,
                            bbox={"boxstyle": "round,pad=0.25", "facecolor": "white",
                                  "edgecolor": colour, "linewidth": 1.5})
        ax.set_title(title if title is not None else (self.title or "Service blueprint"),
                     fontsize=10, pad=28)
        ax.set_xlabel("vermillion box: the case passes, out of sight, to an actor the person "
                      "does not meet in that step", fontsize=8)
        for spine in ax.spines.values():
            spine.set_visible(False)
        fig.tight_layout()
        plt.close(fig)
        return fig

    def to_dict(self) -> dict:
        """``{"kind": "service-blueprint", "version": 1, "title": str, "steps": [...]}``."""
        return {"kind": self.KIND, "version": FORMAT_VERSION, "title": self.title,
                "steps": [s.to_dict() for s in self.steps]}

    @classmethod
    def from_dict(cls, data: dict) -> Blueprint:
        """A blueprint from a dictionary made by :meth:`to_dict` (errors as
        :meth:`Journey.from_dict`)."""
        _check_version(data, cls.KIND, cls.NAME)
        data = _fields(data, ("kind", "version", "title", "steps"), "the blueprint")
        steps = data.get("steps", [])
        if not isinstance(steps, list):
            raise TypeError("\"steps\" must be a list of steps (JSON array).")
        return cls(title=data.get("title", ""),
                   steps=[BlueprintStep.from_dict(s, i) for i, s in enumerate(steps, start=1)])

    def to_json(self) -> str:
        """The blueprint as JSON text, as :meth:`save` writes it."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Blueprint:
        """A blueprint from JSON text (errors as :meth:`Journey.from_json`)."""
        if not isinstance(text, (str, bytes)):
            raise TypeError(f"from_json needs JSON text, not {type(text).__name__}.")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise ValueError(f"This is not valid JSON ({err.msg} on line {err.lineno}).") from None
        return cls.from_dict(data)

    def save(self, path) -> Path:
        """Write the blueprint to ``path`` as JSON (UTF-8). Returns the path written."""
        return _write(self.to_dict(), path)

    @classmethod
    def load(cls, path) -> Blueprint:
        """Read a blueprint saved with :meth:`save` (errors as :meth:`Journey.load`)."""
        return cls.from_dict(_read(path))


# ---------------------------------------------------------------------------- the GBO example

def gbo_example() -> tuple[Journey, Blueprint]:
    """The course's worked example for module m03: a journey and a blueprint of a household
    with unpaid bills asking for help at a local GBO intake (Integrated Broad Intake).

    It is the course's **illustration**, built from what the seed says about the GBO (seed
    section 3.1: a shared intake of the OCMW, the CAW and other local services that gives
    neutral information, explores and realises rights, clarifies the question and refers;
    people used to fall through the net between separate services; the Meetjesland project
    reached citizens who cannot pay their bills with outreach). The persona, the stages, the
    scores and the actors are invented for teaching; no real person's journey.

    Returns:
        (journey, blueprint)
    """
    journey = Journey(
        title="Asking for help at the GBO intake (course illustration)",
        persona="household with unpaid bills",
        stages=[
            Stage("bills pile up", touchpoints=["reminder letters"], channel="post",
                  actor="", actions="puts the letters away unopened",
                  thoughts="I will sort it out next month.", emotion=-1,
                  pain_points=["ashamed to ask for help"],
                  opportunities=["outreach by the health insurance fund (as in Meetjesland)"]),
            Stage("looks for the right service", touchpoints=["municipal website", "phone"],
                  channel="phone", actor="municipal call centre",
                  actions="calls the town hall and is given two other numbers",
                  thoughts="Who is actually responsible for this?", emotion=-1,
                  pain_points=["does not know which service does what"]),
            Stage("first intake conversation", touchpoints=["waiting room", "intake desk"],
                  channel="desk", actor="OCMW social worker",
                  actions="tells the whole story and brings documents",
                  thoughts="Do I have to tell all of this again?", emotion=-2,
                  pain_points=["tells the story again", "missing documents"],
                  opportunities=["one shared intake form for all partners"]),
            Stage("rights are checked", touchpoints=["letter with an appointment"],
                  channel="desk", actor="OCMW social worker",
                  actions="hears about a social tariff they were entitled to",
                  thoughts="I did not know this existed.", emotion=1),
            Stage("referred to debt counselling", touchpoints=["referral", "new waiting room"],
                  channel="desk", actor="CAW counsellor",
                  actions="goes to another building for debt counselling",
                  thoughts="Another new face.", emotion=0,
                  pain_points=["waits three weeks for the first appointment"]),
        ])
    blueprint = Blueprint(
        title="GBO intake of a household with unpaid bills (course illustration)",
        steps=[
            BlueprintStep("phone call", customer_action="calls the town hall",
                          evidence=["municipal website"],
                          frontstage=[("municipal call centre", "gives the GBO intake number")],
                          support=[("municipal IT", "keeps the phone directory")]),
            BlueprintStep("intake", customer_action="tells the story at the intake desk",
                          evidence=["waiting room", "intake form"],
                          frontstage=[("OCMW social worker", "listens and clarifies the question")],
                          backstage=[("OCMW social worker", "enters the case"),
                                     ("OCMW administration", "checks entitlements in databases")],
                          support=[("Flemish and federal databases", "show the rights")]),
            BlueprintStep("referral", customer_action="accepts a referral",
                          evidence=["referral letter"],
                          frontstage=[("OCMW social worker", "explains the referral")],
                          backstage=[("CAW counsellor", "receives the shared case file")],
                          support=[("shared GBO case system", "passes the file on")]),
            BlueprintStep("debt counselling", customer_action="goes to the first appointment",
                          evidence=["new building", "appointment card"],
                          frontstage=[("CAW counsellor", "starts debt counselling")],
                          backstage=[("CAW team", "assigns a budget coach")]),
        ])
    return journey, blueprint
