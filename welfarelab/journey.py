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

from .i18n import N_, _

#: Version of the JSON file format written by ``save``. Files of a higher version are refused.
FORMAT_VERSION = 1

#: The "kind" written in a journey file and in a blueprint file.
JOURNEY_KIND = "customer-journey-map"
BLUEPRINT_KIND = "service-blueprint"

#: The feeling score of a stage: whole numbers from -2 (very bad) to +2 (very good).
EMOTION_MIN = -2
EMOTION_MAX = 2

#: Words for each feeling score (for tables, the figure and the widget), in English and marked
#: for the catalogs: :func:`emotion_word` gives the word in the language in use.
EMOTION_WORDS = {-2: N_("very bad"), -1: N_("bad"), 0: N_("neutral"), 1: N_("good"),
                 2: N_("very good")}

#: The lanes of a blueprint, top to bottom, with the line drawn below each (Bitner, Ostrom &
#: Morgan 2008; physical evidence sits above the customer's actions).
#: The labels and lines are English, marked for the catalogs; they are shown translated.
BLUEPRINT_LANES = (
    ("evidence", N_("Physical evidence"), None),
    ("customer_action", N_("Customer actions"), N_("line of interaction")),
    ("frontstage", N_("Frontstage (onstage, visible) actions"), N_("line of visibility")),
    ("backstage", N_("Backstage (invisible) actions"), N_("line of internal interaction")),
    ("support", N_("Support processes"), None),
)


def emotion_word(score: int) -> str:
    """The word for a feeling score (-2 to +2) in the language in use: ``"very bad"`` in
    English, ``"heel slecht"`` in Dutch.

    Raises:
        KeyError: a score outside -2 to +2.
    """
    return _(EMOTION_WORDS[score])


# ---------------------------------------------------------------------------- checks

# The field names that the messages of the checks name, marked for the catalogs (each is
# shown with _() where a message names it).
_FIELD_NAMES = (N_("name"), N_("channel"), N_("actor"), N_("actions"), N_("thoughts"),
                N_("touchpoints"), N_("pain points"), N_("opportunities"), N_("persona"),
                N_("title"), N_("action"), N_("customer action"), N_("physical evidence"),
                N_("frontstage"), N_("backstage"), N_("support"))

def _text(value, field_name: str, where: str, required: bool = False) -> str:
    """A stripped string; TypeError (not text) or ValueError (empty but required).

    ``field_name`` is English, marked with ``N_`` (shown translated); ``where`` is already in
    the language in use."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise TypeError(_("The {field} of {where} must be text in quotes, but it is {value} "
                          "({kind}).").format(field=_(field_name), where=where,
                                              value=repr(value), kind=type(value).__name__))
    value = value.strip()
    if required and not value:
        raise ValueError(_("The {field} of {where} is empty: give it a short text.").format(
            field=_(field_name), where=where))
    return value


def _texts(value, field_name: str, where: str) -> tuple[str, ...]:
    """A tuple of non-empty stripped strings from a list of strings (or one string)."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise TypeError(_("The {field} of {where} must be a list of texts, such as "
                          "['first note', 'second note'], but it is {value} ({kind}).").format(
                              field=_(field_name), where=where, value=repr(value),
                              kind=type(value).__name__))
    items = []
    for i, item in enumerate(value, start=1):
        if not isinstance(item, str):
            raise TypeError(_("Item {number} of the {field} of {where} must be text in quotes, "
                              "but it is {value} ({kind}).").format(
                                  number=i, field=_(field_name), where=where, value=repr(item),
                                  kind=type(item).__name__))
        if item.strip():
            items.append(item.strip())
    return tuple(items)


def _emotion(value, where: str) -> int:
    """A whole feeling score from EMOTION_MIN to EMOTION_MAX."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (
            isinstance(value, float) and not value.is_integer()):
        raise TypeError(_("The feeling score (emotion) of {where} must be a whole number from "
                          "{min} (very bad) to +{max} (very good), but it is {value}.").format(
                              where=where, min=EMOTION_MIN, max=EMOTION_MAX, value=repr(value)))
    value = int(value)
    if not EMOTION_MIN <= value <= EMOTION_MAX:
        raise ValueError(_("The feeling score (emotion) of {where} is {value}; it must be from "
                           "{min} (very bad) to +{max} (very good).").format(
                               where=where, value=value, min=EMOTION_MIN, max=EMOTION_MAX))
    return value


def _signed(score: int) -> str:
    """A feeling score with its sign: "+2", "-1", "0"."""
    return f"{score:+d}" if score else "0"


def _unique_names(names, message: str) -> None:
    """ValueError with ``message`` (a catalog text with ``{name}``) when two names are the
    same, ignoring upper and lower case."""
    seen = set()
    for name in names:
        key = name.casefold()
        if key in seen:
            raise ValueError(_(message).format(name=repr(name)))
        seen.add(key)


def _check_version(data: dict, kind: str, name: str) -> None:
    """The "kind" and "version" fields of a saved file, as :mod:`welfarelab.canvas` checks."""
    if not isinstance(data, dict):
        raise TypeError(_("A {name} must be read from a dictionary (JSON object), but this is "
                          "{kind} {value}.").format(name=_(name), kind=type(data).__name__,
                                                     value=f"{data!r:.60}"))
    found = data.get("kind")
    if found != kind:
        raise ValueError(_("This is not a {name}: its \"kind\" is {found}, expected "
                           "{expected}.").format(name=_(name), found=repr(found),
                                                 expected=repr(kind)))
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValueError(_("The \"version\" must be a whole number from 1, not "
                           "{version}.").format(version=repr(version)))
    if version > FORMAT_VERSION:
        raise ValueError(_("This {name} was saved by a newer welfarelab (format version "
                           "{version}); this one reads up to version {supported}. Update "
                           "welfarelab.").format(name=_(name), version=version,
                                                 supported=FORMAT_VERSION))


def _fields(data, allowed: tuple[str, ...], where: str) -> dict:
    if not isinstance(data, dict):
        raise TypeError(_("{where} must be a dictionary (JSON object), not {kind} "
                          "{value}.").format(where=where,
                                             kind=type(data).__name__, value=f"{data!r:.60}"))
    unknown = [key for key in data if key not in allowed]
    if unknown:
        raise ValueError(_("Unknown field(s) {fields} in {where}. The fields are: "
                           "{allowed}.").format(fields=", ".join(map(repr, unknown)),
                                                where=where, allowed=", ".join(allowed)))
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
        raise ValueError(_("Cannot load {name}: it is not valid JSON ({error} on line "
                           "{line}).").format(name=repr(str(path)), error=err.msg,
                                              line=err.lineno)) from None


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
        name = _text(self.name, "name", _("a stage"), required=True)
        where = _("stage {name}").format(name=repr(name))
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
        where = (_("a stage") if position is None
                 else _("stage number {number}").format(number=position))
        data = _fields(data, cls.FIELDS, where)
        if "name" not in data:
            raise ValueError(_("{where} has no \"{field}\".").format(
                where=where[:1].upper() + where[1:], field="name"))
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
    NAME = N_("customer-journey map")

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "persona", _text(self.persona, "persona", _("the journey"), required=True))
        set_(self, "title", _text(self.title, "title", _("the journey")))
        stages = self.stages
        if isinstance(stages, (Stage, dict)) or not isinstance(stages, (list, tuple)):
            raise TypeError(_("stages must be a list of stages, e.g. [Stage('first contact', "
                              "emotion=-1), ...], not {kind}.").format(
                                  kind=type(stages).__name__))
        made = []
        for i, stage in enumerate(stages, start=1):
            if isinstance(stage, dict):
                stage = Stage.from_dict(stage, i)
            elif not isinstance(stage, Stage):
                raise TypeError(_("Stage number {number} must be a Stage(...) or a dictionary, "
                                  "not {value} ({kind}).").format(
                                      number=i, value=f"{stage!r:.60}",
                                      kind=type(stage).__name__))
            made.append(stage)
        if not made:
            raise ValueError(_("The journey has no stages: give at least one stage."))
        _unique_names([s.name for s in made],
                      N_("Two stages are called {name}: give every stage its own name."))
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
        key = _text(name, "name", _("the stage you asked for"), required=True).casefold()
        for stage in self.stages:
            if stage.name.casefold() == key:
                return stage
        raise ValueError(_("The journey has no stage called {name}. The stages are: "
                           "{names}.").format(name=repr(name),
                                              names=", ".join(self.stage_names())))

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
        ``emotion`` (int), ``feeling`` (the word for the score, in the language in use),
        ``pain points`` and ``opportunities`` (joined with "; "). The column names are the
        same in every language (code uses them); :data:`FRAME_HEADERS` translates them for
        people.
        """
        import pandas as pd

        return pd.DataFrame({
            "stage": self.stage_names(),
            "actor": [s.actor for s in self.stages],
            "channel": [s.channel for s in self.stages],
            "touchpoints": ["; ".join(s.touchpoints) for s in self.stages],
            "emotion": self.emotion_curve(),
            "feeling": [emotion_word(s.emotion) for s in self.stages],
            "pain points": ["; ".join(s.pain_points) for s in self.stages],
            "opportunities": ["; ".join(s.opportunities) for s in self.stages],
        })

    def alt_text(self) -> str:
        """The text alternative of :meth:`figure`: the curve in words, with the moment of truth."""
        points = ", ".join(f"{s.name} {_signed(s.emotion)}" for s in self.stages)
        low = self.moment_of_truth()
        return _("Figure: the emotional curve of the journey of '{persona}', one point per "
                 "stage from left to right, feeling from -2 (very bad) to +2 (very good): "
                 "{points}. The lowest point, the moment of truth, is '{low}' "
                 "({score}).").format(persona=self.persona, points=points, low=low.name,
                                      score=_signed(low.emotion))

    def figure(self, ax=None, title: str | None = None):
        """Draw the emotional curve: the feeling score per stage, stages left to right.

        The curve is blue, the zero line grey, the moment of truth a vermillion point with a
        label (Okabe-Ito colours); the y axis runs from -2 (very bad) to +2 (very good).

        Args:
            ax: an existing matplotlib Axes to draw on (e.g. a calculator's kept chart);
                default a new figure.
            title: the title; default "Emotional curve: <persona>" (in the language in use).

        Returns:
            the matplotlib Figure (closed in pyplot when made here, so it shows once as a
            cell's last line). Its text alternative is :meth:`alt_text`.
        """
        import matplotlib.pyplot as plt

        from .design import wrap_label
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
                label=_("how the person feels"))
        low = self.stages.index(self.moment_of_truth())
        ax.scatter([low], [y[low]], s=160, color=OKABE_ITO["vermillion"], zorder=5,
                   label=_("moment of truth (lowest point)"))
        ax.annotate(_("moment of truth"), (low, y[low]), xytext=(0, -18),
                    textcoords="offset points", ha="center", va="top", fontsize=9,
                    color=OKABE_ITO["black"])
        ax.set_xticks(x)
        ax.set_xticklabels([wrap_label(n, 16) for n in self.stage_names()], fontsize=8)
        ax.set_xlim(-0.5, len(x) - 0.5)
        ax.set_ylim(EMOTION_MIN - 0.9, EMOTION_MAX + 0.5)
        ax.set_yticks(range(EMOTION_MIN, EMOTION_MAX + 1))
        ax.set_yticklabels([f"{v:+d} {emotion_word(v)}" if v else f"0 {emotion_word(0)}"
                            for v in range(EMOTION_MIN, EMOTION_MAX + 1)], fontsize=8)
        ax.set_xlabel(_("stage of the journey (in order)"))
        ax.set_ylabel(_("feeling (score -2 to +2)"))
        ax.set_title(title if title is not None else _("Emotional curve: {persona}").format(
            persona=self.persona), fontsize=10)
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
            raise TypeError(_("\"stages\" must be a list of stages (JSON array)."))
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
            raise TypeError(_("from_json needs JSON text, not {kind}.").format(
                kind=type(text).__name__))
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise ValueError(_("This is not valid JSON ({error} on line {line}).").format(
                error=err.msg, line=err.lineno)) from None
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
        object.__setattr__(self, "actor", _text(self.actor, "actor", _("an action"), True))
        object.__setattr__(self, "action", _text(
            self.action, "action", _("the action of {actor}").format(actor=repr(self.actor)),
            True))

    @classmethod
    def make(cls, value, where: str) -> Action:
        """An Action from an Action, a dict {"actor", "action"} or a pair (actor, action)."""
        if isinstance(value, Action):
            return value
        if isinstance(value, dict):
            _fields(value, ("actor", "action"), _("an action of {where}").format(where=where))
            return cls(value.get("actor"), value.get("action"))
        if isinstance(value, (list, tuple)) and len(value) == 2:
            return cls(*value)
        raise TypeError(_("An action of {where} must be a pair (actor, action), e.g. "
                          "('OCMW social worker', 'asks about debts'), not {value}.").format(
                              where=where, value=f"{value!r:.60}"))


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
        name = _text(self.name, "name", _("a blueprint step"), required=True)
        where = _("step {name}").format(name=repr(name))
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
                raise TypeError(_("The {lane} of {where} must be a list of (actor, action) "
                                  "pairs, not {kind}.").format(lane=_(lane), where=where,
                                                               kind=type(value).__name__))
            lane_where = _("the {lane} of {where}").format(lane=_(lane), where=where)
            set_(self, lane, tuple(Action.make(v, lane_where) for v in value))

    def to_dict(self) -> dict:
        """The step as a plain dictionary, ready for JSON."""
        lanes = {lane: [{"actor": a.actor, "action": a.action} for a in getattr(self, lane)]
                 for lane in ("frontstage", "backstage", "support")}
        return {"name": self.name, "customer_action": self.customer_action,
                "evidence": list(self.evidence), **lanes}

    @classmethod
    def from_dict(cls, data: dict, position: int | None = None) -> BlueprintStep:
        """A step from a dictionary made by :meth:`to_dict`."""
        where = (_("a step") if position is None
                 else _("step number {number}").format(number=position))
        data = _fields(data, cls.FIELDS, where)
        for key in ("name", "customer_action"):
            if key not in data:
                raise ValueError(_("{where} has no \"{field}\".").format(
                    where=where[:1].upper() + where[1:], field=key))
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
    NAME = N_("service blueprint")

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "title", _text(self.title, "title", _("the blueprint")))
        steps = self.steps
        if isinstance(steps, (BlueprintStep, dict)) or not isinstance(steps, (list, tuple)):
            raise TypeError(_("steps must be a list of steps, not {kind}.").format(
                kind=type(steps).__name__))
        made = []
        for i, step in enumerate(steps, start=1):
            if isinstance(step, dict):
                step = BlueprintStep.from_dict(step, i)
            elif not isinstance(step, BlueprintStep):
                raise TypeError(_("Step number {number} must be a BlueprintStep(...) or a "
                                  "dictionary, not {value} ({kind}).").format(
                                      number=i, value=f"{step!r:.60}", kind=type(step).__name__))
            made.append(step)
        if not made:
            raise ValueError(_("The blueprint has no steps: give at least one step."))
        _unique_names([s.name for s in made],
                      N_("Two steps are called {name}: give every step its own name."))
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
            raise ValueError(_("lane must be one of {lanes}, not {lane}.").format(
                lanes=", ".join(lanes), lane=repr(lane)))
        seen: dict[str, str] = {}
        for step in self.steps:
            for name in ([lane] if lane else lanes):
                for action in getattr(step, name):
                    seen.setdefault(action.actor.casefold(), action.actor)
        return list(seen.values())

    def to_frame(self):
        """The blueprint as a pandas DataFrame: one row per lane (top to bottom), one column
        per step, with a row per line ("— line of visibility —") between the lanes (the lane
        and line names in the language in use)."""
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
            index.append(_(label))
            if line:
                rows.append(["—"] * len(self.steps))
                index.append(f"— {_(line)} —")
        return pd.DataFrame(rows, index=index, columns=self.step_names())

    def alt_text(self) -> str:
        """The text alternative of :meth:`figure`: the lanes per step, and the handovers."""
        parts = []
        for step in self.steps:
            front = ("; ".join(f"{a.actor} {a.action}" for a in step.frontstage)
                     or _("nobody"))
            back = "; ".join(f"{a.actor} {a.action}" for a in step.backstage) or _("nothing")
            parts.append(_("step '{name}': the person {action}; in sight: {front}; out of "
                           "sight: {back}").format(name=step.name, action=step.customer_action,
                                                   front=front, back=back))
        return (_("Figure: a service blueprint with {n} steps as columns and the lanes physical "
                  "evidence, customer actions, frontstage, backstage and support processes as "
                  "rows, separated by the line of interaction, the line of visibility and the "
                  "line of internal interaction.").format(n=len(self.steps))
                + " " + ". ".join(parts) + ". "
                + _("Handovers across the line of visibility: {n}.").format(
                    n=self.handovers_across_visibility()))

    def figure(self, title: str | None = None):
        """Draw the blueprint: one column per step, one row per lane, the three lines dashed.

        A backstage action by an actor who is not frontstage in the same step (a handover
        across the line of visibility, :meth:`handovers_across_visibility`) is drawn in a
        vermillion box; other actions in blue boxes; customer actions in green (Okabe-Ito).

        Returns:
            the matplotlib Figure, closed in pyplot (shows once as a cell's last line). Its
            text alternative is :meth:`alt_text`.
        """
        import matplotlib.pyplot as plt

        from .design import wrap_label
        from .plotting import OKABE_ITO

        n = len(self.steps)
        lanes = BLUEPRINT_LANES
        fig, ax = plt.subplots(figsize=(2.2 + 2.6 * n, 7.2))
        ax.set_xlim(0, n)
        ax.set_ylim(0, len(lanes))
        ax.invert_yaxis()
        ax.set_xticks([i + 0.5 for i in range(n)])
        ax.set_xticklabels([wrap_label(name, 22) for name in self.step_names()], fontsize=8)
        ax.xaxis.tick_top()
        ax.set_yticks([i + 0.5 for i in range(len(lanes))])
        ax.set_yticklabels([wrap_label(_(lane[1]), 16) for lane in lanes], fontsize=8)
        ax.tick_params(length=0)
        for row, lane in enumerate(lanes):
            line = lane[2]
            if line:
                ax.axhline(row + 1, color=OKABE_ITO["black"], linestyle="--", linewidth=1)
                ax.text(n - 0.02, row + 1 - 0.03, _(line), ha="right", va="bottom", fontsize=7,
                        style="italic")
        for col in range(1, n):
            ax.axvline(col, color="#dddddd", linewidth=0.8)
        for col, step in enumerate(self.steps):
            front = {a.actor.casefold() for a in step.frontstage}
            for row, key in enumerate(lane[0] for lane in lanes):
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
                            wrap_label(text, 26), ha="center", va="center", fontsize=7,
                            bbox={"boxstyle": "round,pad=0.25", "facecolor": "white",
                                  "edgecolor": colour, "linewidth": 1.5})
        ax.set_title(title if title is not None else (self.title or _("Service blueprint")),
                     fontsize=10, pad=28)
        ax.set_xlabel(_("vermillion box: the case passes, out of sight, to an actor the person "
                        "does not meet in that step"), fontsize=8)
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
            raise TypeError(_("\"steps\" must be a list of steps (JSON array)."))
        return cls(title=data.get("title", ""),
                   steps=[BlueprintStep.from_dict(s, i) for i, s in enumerate(steps, start=1)])

    def to_json(self) -> str:
        """The blueprint as JSON text, as :meth:`save` writes it."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Blueprint:
        """A blueprint from JSON text (errors as :meth:`Journey.from_json`)."""
        if not isinstance(text, (str, bytes)):
            raise TypeError(_("from_json needs JSON text, not {kind}.").format(
                kind=type(text).__name__))
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise ValueError(_("This is not valid JSON ({error} on line {line}).").format(
                error=err.msg, line=err.lineno)) from None
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
    scores and the actors are invented for teaching; no real person's journey. Its texts are in
    the language in use when it is called (Dutch after ``set_language("nl")``).

    Returns:
        (journey, blueprint)
    """
    social_worker = _("OCMW social worker")
    counsellor = _("CAW counsellor")
    call_centre = _("municipal call centre")
    journey = Journey(
        title=_("Asking for help at the GBO intake (course illustration)"),
        persona=_("household with unpaid bills"),
        stages=[
            Stage(_("bills pile up"), touchpoints=[_("reminder letters")], channel=_("post"),
                  actor="", actions=_("puts the letters away unopened"),
                  thoughts=_("I will sort it out next month."), emotion=-1,
                  pain_points=[_("ashamed to ask for help")],
                  opportunities=[_("outreach by the health insurance fund (as in "
                                   "Meetjesland)")]),
            Stage(_("looks for the right service"),
                  touchpoints=[_("municipal website"), _("phone")],
                  channel=_("phone"), actor=call_centre,
                  actions=_("calls the town hall and is given two other numbers"),
                  thoughts=_("Who is actually responsible for this?"), emotion=-1,
                  pain_points=[_("does not know which service does what")]),
            Stage(_("first intake conversation"),
                  touchpoints=[_("waiting room"), _("intake desk")],
                  channel=_("desk"), actor=social_worker,
                  actions=_("tells the whole story and brings documents"),
                  thoughts=_("Do I have to tell all of this again?"), emotion=-2,
                  pain_points=[_("tells the story again"), _("missing documents")],
                  opportunities=[_("one shared intake form for all partners")]),
            Stage(_("rights are checked"), touchpoints=[_("letter with an appointment")],
                  channel=_("desk"), actor=social_worker,
                  actions=_("hears about a social tariff they were entitled to"),
                  thoughts=_("I did not know this existed."), emotion=1),
            Stage(_("referred to debt counselling"),
                  touchpoints=[_("referral"), _("new waiting room")],
                  channel=_("desk"), actor=counsellor,
                  actions=_("goes to another building for debt counselling"),
                  thoughts=_("Another new face."), emotion=0,
                  pain_points=[_("waits three weeks for the first appointment")]),
        ])
    blueprint = Blueprint(
        title=_("GBO intake of a household with unpaid bills (course illustration)"),
        steps=[
            BlueprintStep(_("phone call"), customer_action=_("calls the town hall"),
                          evidence=[_("municipal website")],
                          frontstage=[(call_centre, _("gives the GBO intake number"))],
                          support=[(_("municipal IT"), _("keeps the phone directory"))]),
            BlueprintStep(_("intake"), customer_action=_("tells the story at the intake desk"),
                          evidence=[_("waiting room"), _("intake form")],
                          frontstage=[(social_worker, _("listens and clarifies the question"))],
                          backstage=[(social_worker, _("enters the case")),
                                     (_("OCMW administration"),
                                      _("checks entitlements in databases"))],
                          support=[(_("Flemish and federal databases"), _("show the rights"))]),
            BlueprintStep(_("referral"), customer_action=_("accepts a referral"),
                          evidence=[_("referral letter")],
                          frontstage=[(social_worker, _("explains the referral"))],
                          backstage=[(counsellor, _("receives the shared case file"))],
                          support=[(_("shared GBO case system"), _("passes the file on"))]),
            BlueprintStep(_("debt counselling"),
                          customer_action=_("goes to the first appointment"),
                          evidence=[_("new building"), _("appointment card")],
                          frontstage=[(counsellor, _("starts debt counselling"))],
                          backstage=[(_("CAW team"), _("assigns a budget coach"))]),
        ])
    return journey, blueprint
