"""Regenerate every synthetic dataset in data/ from its seeded generator script.

    python data/generate.py            # rewrite all synthetic CSVs
    python data/generate.py NAME ...   # only these

Each generator (data/generators/<name>.py) has a function generate() -> pandas.DataFrame with a
fixed seed, so running this again gives byte-identical files (tests/test_data.py checks it).
"""

import sys

from welfarelab import data

if __name__ == "__main__":
    names = sys.argv[1:] or [n for n, d in data.descriptors().items() if d["kind"] == "synthetic"]
    for name in names:
        frame = data.generate(name)
        data.check(name, frame.astype(str).where(frame.notna(), None))
        print("wrote", data.write(name, frame))
