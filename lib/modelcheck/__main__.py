"""``python3 -m modelcheck``: the modelcheck command."""

import sys

from .cli import main

sys.exit(main(sys.argv[1:]))
