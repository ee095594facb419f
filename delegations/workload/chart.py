"""The board drawn as a chart: where each bar and label goes in an SVG, computed here, drawn by a template.

One row per person, one column per week. In each cell a bar whose height is the hours in programme items (the
number beside it, so that no one has to read the height), and below it short counts: visits led, open tasks,
conflicts (with a "!" so that they do not rely on colour). The same figures are in the table under the chart.
"""
from __future__ import annotations

from dataclasses import dataclass

from delegations.workload.board import Board, Cell, PersonRow, Week

NAME_WIDTH = 190
COLUMN_WIDTH = 92
HEADER_HEIGHT = 46
ROW_HEIGHT = 66
BAR_TOP = 8          # inside a row
BAR_HEIGHT = 36      # the tallest bar
BAR_WIDTH = 22
MIN_SCALE_HOURS = 8  # a week with 2 hours must not look full


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    hours: float
    cell: Cell


@dataclass(frozen=True)
class ChartRow:
    row: PersonRow
    y: float
    name_y: float
    bars: list[Bar]
    marks_y: float


@dataclass(frozen=True)
class ChartColumn:
    week: Week
    x: float
    centre: float
    current: bool


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    columns: list[ChartColumn]
    rows: list[ChartRow]
    scale_hours: float
    busiest: tuple[str, float, Week] | None  # name, hours, week: for the description

    @property
    def column_width(self) -> int:
        return COLUMN_WIDTH


def lay_out(board: Board) -> Chart:
    current = board.current_week_index()
    columns = [ChartColumn(week, NAME_WIDTH + index * COLUMN_WIDTH, NAME_WIDTH + index * COLUMN_WIDTH
                           + COLUMN_WIDTH / 2, index == current) for index, week in enumerate(board.weeks)]
    scale = max(board.max_hours, MIN_SCALE_HOURS)
    busiest = None
    for row in board.rows:
        for index, cell in enumerate(row.cells):
            if cell.hours > 0 and (busiest is None or cell.hours > busiest[1]):
                busiest = (row.person.name, cell.hours, board.weeks[index])
    rows = []
    for number, row in enumerate(board.rows):
        top = HEADER_HEIGHT + number * ROW_HEIGHT
        bars = []
        for column, cell in zip(columns, row.cells):
            height = round(BAR_HEIGHT * cell.hours / scale, 1) if cell.hours else 0
            x = column.x + 10
            bars.append(Bar(x, top + BAR_TOP + BAR_HEIGHT - height, BAR_WIDTH, height, x + BAR_WIDTH + 6,
                            top + BAR_TOP + BAR_HEIGHT, cell.hours, cell))
        rows.append(ChartRow(row, top, top + ROW_HEIGHT / 2 + 5, bars, top + ROW_HEIGHT - 10))
    width = NAME_WIDTH + COLUMN_WIDTH * len(columns) + 8
    height = HEADER_HEIGHT + ROW_HEIGHT * max(len(rows), 1) + 4
    return Chart(width, height, columns, rows, scale, busiest)
