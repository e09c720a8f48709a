"""The course datasets as package data: installed as ``welfarelab._data`` (pyproject.toml).

This folder stays where the course layout has it (``data/`` at the top of the repository); the
package build maps it to the subpackage ``welfarelab._data`` so that ``pip install .`` (and the
student edition, Binder, a hub's image) carries the CSV files and ``datasets.yml`` along, and
:mod:`welfarelab.data` finds them with :func:`importlib.resources.files`. Nothing to import here.
"""
