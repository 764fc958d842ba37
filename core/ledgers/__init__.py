"""The county's 台账: Excel ledgers in the layouts the county files, written from the profile's records.

LEDGERS lists them in the order the county's plan names them; `export_ledgers` writes one or all of them
for a month (core.ledgers.export). What each ledger holds is said in its module's docstrings and in
docs/ledgers.md.
"""
from core.ledgers.bulletin import BULLETIN
from core.ledgers.export import ExportResult, LedgerError, export_ledgers, ledger_file_name
from core.ledgers.monitoring import DISPATCH, MONITORED, VISITS, ZERO
from core.ledgers.people import GRADUATES, HARDSHIP, LABOUR, ROSTER, WEAK
from core.ledgers.records import GRIEVANCES, JOBS, MEASURES, TRAINING
from core.ledgers.spec import Ledger

LEDGERS: dict[str, Ledger] = {ledger.name: ledger for ledger in (
    LABOUR, GRADUATES, WEAK, HARDSHIP, JOBS, TRAINING, ZERO, VISITS, DISPATCH, MONITORED, GRIEVANCES, MEASURES,
    ROSTER, BULLETIN)}

__all__ = ["LEDGERS", "Ledger", "ExportResult", "LedgerError", "export_ledgers", "ledger_file_name"]
