"""What the frozen app runs: `anju` (gui.cli), the same verbs as the installed console script."""
import sys

from gui.cli import entry

if __name__ == "__main__":
    sys.exit(entry())
