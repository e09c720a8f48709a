"""Every dataset matches its descriptor; synthetic ones regenerate byte for byte."""

import pytest

from welfarelab import data

NAMES = sorted(data.descriptors())
SYNTHETIC = [n for n in NAMES if data.describe(n)["kind"] == "synthetic"]


@pytest.mark.parametrize("name", NAMES)
def test_dataset_matches_its_descriptor(name):
    frame = data.load(name)
    assert len(frame) > 0
    spec = data.describe(name)
    assert spec["source"].strip() and spec["licence"].strip()
    for field in spec["fields"]:
        assert field.get("description"), f"{name}.{field['name']} has no description"


@pytest.mark.parametrize("name", SYNTHETIC)
def test_synthetic_dataset_regenerates_identically(name, tmp_path):
    path = data.write(name, data.generate(name), tmp_path)
    assert path.read_bytes() == (data.DATA / data.describe(name)["file"]).read_bytes()


def test_every_csv_in_data_is_described():
    files = {d["file"] for d in data.descriptors().values()}
    for csv in data.DATA.glob("*.csv"):
        assert csv.name in files, f"data/{csv.name} has no descriptor in datasets.yml"


def test_unknown_dataset_name_is_explained():
    with pytest.raises(ValueError, match="There is no dataset called 'nope'"):
        data.load("nope")
