"""The analysts' copy of a profile: `main.py export --sqlite OUT.db` (docs/analysis-export.md)."""
from core.analysis.command import cmd_export_sqlite
from core.analysis.export import export_sqlite

__all__ = ["cmd_export_sqlite", "export_sqlite"]
