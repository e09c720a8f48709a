"""The course datasets: load a CSV from ``data/`` and check it against its descriptor.

Every dataset is described once in ``data/datasets.yml`` (fields, types, units, source,
licence, real or synthetic). :func:`load` returns a pandas DataFrame with the declared types;
:func:`check` raises a ValueError that names the dataset, the field and the problem.

Where the files are: the top-level ``data/`` folder of the course is installed as the package
data of the subpackage ``welfarelab._data`` (``[tool.setuptools.package-dir]`` in
pyproject.toml), and this module finds it with :func:`importlib.resources.files`, never through
the repository's layout. So the datasets load in an editable install (``make venv``: the folder
itself), in a regular ``pip install .`` (a copy in site-packages), in the student edition, on
Binder and in a hub's image alike. Python docs: "importlib.resources -- Package resource reading".
"""

from __future__ import annotations

import importlib.util
from importlib import resources
from pathlib import Path

import pandas as pd

from .i18n import _, get_language

_PACKAGE = "welfarelab._data"


def _data_folder():
    """The installed ``data/`` folder (a :class:`importlib.resources.abc.Traversable`).

    Raises:
        ModuleNotFoundError: the datasets were not installed with the package (an install made
            from an older pyproject.toml); the message says how to reinstall.
    """
    try:
        return resources.files(_PACKAGE)
    except ModuleNotFoundError:
        raise ModuleNotFoundError(
            _("The course datasets are not installed with welfarelab (package {package} is "
              "missing). Reinstall the course package: `make venv`, or `python -m pip install "
              ".` in the course folder.").format(package=_PACKAGE)) from None


#: The datasets folder: on a file system (every install above) a :class:`pathlib.Path`.
DATA = _data_folder()
DESCRIPTOR = DATA / "datasets.yml"
TYPES = {"string", "integer", "float", "boolean", "category", "date"}
REQUIRED = ("file", "title", "description", "kind", "source", "licence", "fields")


def descriptors() -> dict:
    """All dataset descriptors from ``data/datasets.yml``, keyed by dataset name."""
    import yaml

    return (yaml.safe_load(DESCRIPTOR.read_text(encoding="utf-8")) or {}).get("datasets") or {}


def describe(name: str) -> dict:
    """The descriptor of one dataset. Raises ValueError listing the names if ``name`` is unknown."""
    all_ = descriptors()
    if name not in all_:
        raise ValueError(_("There is no dataset called {name}. The datasets are: {names}.")
                         .format(name=repr(name), names=", ".join(sorted(all_)) or _("none yet")))
    return all_[name]


def _localized(entry: dict, key: str):
    """``entry[key]`` in the language in use: ``entry["<key>_<language>"]`` when the descriptor
    has it (``description_nl``, ``title_nl``, ``unit_nl``), else the English ``entry[key]``
    (``""`` when neither is there). A new language is a new key in datasets.yml."""
    language = get_language()
    if language != "en":
        translated = entry.get(f"{key}_{language}")
        if isinstance(translated, str) and translated.strip():
            return translated
    return entry.get(key, "")


def fields(name: str) -> pd.DataFrame:
    """A table of the fields of dataset ``name``: name, type, unit and description.

    Args:
        name: a dataset of ``data/datasets.yml``, e.g. ``"ecosystem_actors"``.

    Returns:
        DataFrame with the columns ``field`` (the column's name, as in the CSV), ``type``
        (string, integer, float, boolean, category or date), ``unit`` and ``description``; the
        unit and the description in the language in use (``unit_nl`` / ``description_nl`` of
        the descriptor in Dutch, the English text where a field has none).

    Raises:
        ValueError: ``name`` is not a dataset (the message lists them).
    """
    rows = [{"field": f["name"], "type": f["type"], "unit": _localized(f, "unit"),
             "description": _localized(f, "description")} for f in describe(name)["fields"]]
    return pd.DataFrame(rows)


def catalogue() -> pd.DataFrame:
    """One row per dataset: name, title, real or synthetic, rows file, source and licence.

    The title is in the language in use (``title_nl`` of the descriptor in Dutch); the other
    columns are ids, file names and citations, the same in every language.
    """
    return pd.DataFrame([{"dataset": n, "title": _localized(d, "title"), "kind": d["kind"],
                          "file": d["file"], "source": d["source"], "licence": d["licence"]}
                         for n, d in sorted(descriptors().items())])


def _where(name: str, field: str) -> str:
    return _("dataset {name}, field {field}").format(name=repr(name), field=repr(field))


def _convert(frame: pd.DataFrame, name: str, spec: dict) -> pd.Series:
    col, kind = spec["name"], spec["type"]
    series = frame[col]
    where = _where(name, col)
    if kind in ("integer", "float"):
        numbers = pd.to_numeric(series, errors="coerce")
        bad = series[numbers.isna() & series.notna()]
        if len(bad):
            raise ValueError(_("{where}: {value} is not a number.").format(
                where=where, value=repr(bad.iloc[0])))
        if kind == "integer":
            if not spec.get("nullable") and numbers.isna().any():
                raise ValueError(_("{where}: has empty values.").format(where=where))
            if ((numbers.dropna() % 1) != 0).any():
                raise ValueError(_("{where}: holds a number with decimals; it should be whole.")
                                 .format(where=where))
            return numbers.astype("Int64")
        return numbers.astype(float)
    if kind == "boolean":
        mapped = series.map({True: True, False: False, "true": True, "false": False,
                             "True": True, "False": False})
        if mapped.isna().any():
            raise ValueError(_("{where}: booleans must be written true or false.")
                             .format(where=where))
        return mapped.astype(bool)
    if kind == "date":
        try:
            return pd.to_datetime(series, format="%Y-%m-%d")
        except (ValueError, TypeError) as err:
            raise ValueError(_("{where}: dates must be written YYYY-MM-DD ({error}).")
                             .format(where=where, error=err)) from None
    if kind == "category":
        allowed = spec.get("allowed") or []
        unknown = sorted(set(series.dropna()) - set(allowed))
        if unknown:
            raise ValueError(_("{where}: {values} not among the allowed values {allowed}.")
                             .format(where=where, values=unknown[:3], allowed=allowed))
        return pd.Categorical(series, categories=allowed)
    return series.astype("string")


def check(name: str, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Check dataset ``name`` (or ``frame``) against its descriptor; return it with typed columns.

    Raises:
        ValueError: a descriptor entry misses a required key or uses an unknown type; the CSV's
            columns differ from the descriptor's fields; a value does not fit its type, range
            (``min``/``max``) or allowed values; a field marked ``unique`` has duplicates.
    """
    spec = describe(name)
    missing = [k for k in REQUIRED if k not in spec]
    if missing:
        raise ValueError(_("The descriptor of {name} misses {keys}.").format(
            name=repr(name), keys=missing))
    if spec["kind"] not in ("real", "synthetic"):
        raise ValueError(_("The descriptor of {name}: kind must be real or synthetic.")
                         .format(name=repr(name)))
    if spec["kind"] == "synthetic" and not spec.get("generator"):
        raise ValueError(_("The synthetic dataset {name} needs a generator script.")
                         .format(name=repr(name)))
    if frame is None:
        with (DATA / spec["file"]).open("rb") as f:
            frame = pd.read_csv(f, dtype=str, keep_default_na=False, na_values=[""])
    declared = [f["name"] for f in spec["fields"]]
    if list(frame.columns) != declared:
        raise ValueError(_("dataset {name}: the columns {columns} differ from the descriptor's "
                           "fields {fields}.").format(name=repr(name),
                                                      columns=list(frame.columns),
                                                      fields=declared))
    out = pd.DataFrame(index=frame.index)
    for f in spec["fields"]:
        where = _where(name, f["name"])
        if f["type"] not in TYPES:
            raise ValueError(_("{where}: unknown type {type}.").format(
                where=where, type=repr(f["type"])))
        out[f["name"]] = _convert(frame, name, f)
        values = out[f["name"]]
        if "min" in f and (values.dropna() < f["min"]).any():
            raise ValueError(_("{where}: a value is below {low}.").format(where=where,
                                                                          low=f["min"]))
        if "max" in f and (values.dropna() > f["max"]).any():
            raise ValueError(_("{where}: a value is above {high}.").format(where=where,
                                                                           high=f["max"]))
        if f.get("unique") and values.duplicated().any():
            raise ValueError(_("{where}: values must be unique.").format(where=where))
        if f.get("required") and values.isna().any():
            raise ValueError(_("{where}: has empty values.").format(where=where))
    return out


def load(name: str) -> pd.DataFrame:
    """Load dataset ``name`` from ``data/`` as a DataFrame with the descriptor's types.

    Raises:
        ValueError: unknown name, or the file does not match its descriptor (see :func:`check`).
    """
    return check(name)


def generate(name: str) -> pd.DataFrame:
    """Run the seeded generator of synthetic dataset ``name`` and return the frame (not saved).

    The generators (``data/generators/``) are the course developers' tools: they live in the
    repository and are not installed with the package, so this works in an editable install.

    Raises:
        ValueError: unknown name, real data, or the generator script is not installed here.
    """
    spec = describe(name)
    if spec["kind"] != "synthetic":
        raise ValueError(_("{name} is real data: it has no generator.").format(name=repr(name)))
    path = Path(str(DATA)) / spec["generator"]
    if not path.is_file():
        raise ValueError(_("The generator of {name} ({script}) is not installed with the "
                           "package; run it from the course repository (make venv).")
                         .format(name=repr(name), script=spec["generator"]))
    module_spec = importlib.util.spec_from_file_location(f"_gen_{name}", path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module.generate()


def write(name: str, frame: pd.DataFrame, folder: Path | None = None) -> Path:
    """Write ``frame`` as the CSV of dataset ``name`` (UTF-8, ``\\n`` line ends, no index).

    ``folder`` defaults to the datasets folder itself (a course developer's editable install).
    """
    path = Path(str(folder or DATA)) / describe(name)["file"]
    frame.to_csv(path, index=False, lineterminator="\n")
    return path
