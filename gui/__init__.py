"""PySide6 desktop client (arrives with the GUI issue): windows, forms, table models. No SQL here."""
