"""13 季度通报: the quarter's indicators per settlement and grid, against their targets, with the previous
quarter beside them.

A quarter's figures are those of its last month (or of the period, when the quarter is not over yet):
the indicators are already cumulative where the policy counts a year (training, monitoring rounds) and
a state where it counts a month (zero-employment households, visit coverage).
"""
from __future__ import annotations

from collections.abc import Iterator

from core.indicators import add_months
from core.ledgers.context import LedgerContext
from core.ledgers.layout import Column
from core.ledgers.spec import Ledger

# (indicator key, its heading, how it is shown: a share or a count)
SHOWN = (("at_least_one_employed", "至少一人就业户占比", "share"), ("zero_employment", "零就业家庭", "count"),
         ("employed_members", "劳动力就业率", "share"), ("training", "培训覆盖率", "share"),
         ("visit_coverage", "走访覆盖率", "share"), ("monitoring_rounds", "本年完成监测期数", "count"),
         ("overdue_grievances", "超期诉求", "count"))


def quarter_of(month: str) -> tuple[str, str, str]:
    """(its name, the month its figures are of, the previous quarter's last month)."""
    year, mon = int(month[:4]), int(month[5:])
    q = (mon - 1) // 3 + 1
    last = f"{year}-{q * 3:02d}"
    first = f"{year}-{q * 3 - 2:02d}"
    return f"{year}年第{'一二三四'[q - 1]}季度", min(last, month), add_months(first, -1)


def _columns() -> tuple[Column, ...]:
    cols = [Column("安置点", "place"), Column("网格", "place")]
    for _key, title, _unit in SHOWN:
        cols += [Column("本季度", "share", title), Column("上季度", "share", title), Column("目标", "share", title)]
    return (*cols, Column("未达标项", "long"))


def _shown(figure, unit: str) -> str | int:  # noqa: ANN001 - core.indicators.Figure
    return figure.numerator if unit == "count" else f"{figure.rate:.1%}"


def _target(figure, unit: str) -> str:  # noqa: ANN001
    if figure.target is None:
        return ""
    return f"≥{figure.target:g}" if unit == "count" else f"{figure.target:.0%}"


def _row(place: tuple[str, str], now, before) -> list:  # noqa: ANN001 - Indicators of the two quarters
    row, short = list(place), []
    for key, title, unit in SHOWN:
        f = now.figures()[key]
        prev = before.figures().get(key) if before is not None else None
        row += [_shown(f, unit), _shown(prev, unit) if prev is not None else "", _target(f, unit)]
        if f.target_met is False:
            short.append(title)
    return [*row, "、".join(short)]


def bulletin_rows(ctx: LedgerContext) -> Iterator[list]:
    """全部 first, then each settlement, then its grids."""
    _name, month, previous = quarter_of(ctx.month)
    now, before = ctx.report(month), ctx.report(previous)
    yield _row(("全部", ""), now.total, before.total)
    for sid in sorted(now.by_settlement, key=ctx.settlement_name):
        yield _row((ctx.settlement_name(sid) or "（未分安置点）", ""), now.by_settlement[sid],
                   before.by_settlement.get(sid))
        for (s, gid) in sorted((p for p in now.by_grid if p[0] == sid), key=lambda p: ctx.grid_name(p[1])):
            yield _row(("", ctx.grid_name(gid) or "（未分网格）"), now.by_grid[(s, gid)], before.by_grid.get((s, gid)))


BULLETIN = Ledger("bulletin", "季度通报", _columns(), bulletin_rows,
                  lambda ctx: 1 + len(ctx.report(quarter_of(ctx.month)[1]).by_grid) + len(
                      ctx.report(quarter_of(ctx.month)[1]).by_settlement),
                  per_place=False, note="各项指标取季末月（季度未结束的取统计月）的数",
                  period=lambda month: quarter_of(month)[0])
