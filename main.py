"""Run Anju from a source checkout: `python main.py …` is the installed `anju` command."""
import sys

from gui.cli import entry

if __name__ == "__main__":
    sys.exit(entry())
