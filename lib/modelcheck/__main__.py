"""``python3 -m modelcheck``: the modelcheck command."""

import os
import sys

from .options import FrontEnd


def _command() -> int:
    # Imported under the front end: a broken dependency is one line too.
    from .cli import main

    return main(sys.argv[1:])


sys.exit(FrontEnd("modelcheck", sys.stderr, os.environ).run(_command))
