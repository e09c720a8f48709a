"""``python -m welfaregrading``: the lecturer's command line (:mod:`welfaregrading.cli`)."""

import sys

from welfaregrading.cli import main

sys.exit(main())
