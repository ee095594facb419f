"""Where to draw a table and its seats (SVG coordinates) for the plan page and the printed plan.

The host sits at the top; seats follow round the table in walking order, going to the host's right first
(which, seen from above with the host at the top facing the table, is the viewer's left). A head table is
a line facing the room: the host in the middle, their right hand on the viewer's left. Pure.
"""
from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class SeatMark:
    number: int
    x: float
    y: float
    person: object | None


@dataclass(frozen=True)
class TableDrawing:
    shape: str
    width: int
    height: int
    # The table itself: a circle (cx, cy, r) or a rectangle (x, y, width, height).
    table: tuple[float, ...]
    seats: tuple[SeatMark, ...]
    seat_radius: int = 13


def _round(count: int, walking: list) -> TableDrawing:
    size = 150 + 16 * count
    centre = size / 2
    table_radius = size / 2 - 44
    ring = table_radius + 24
    marks = []
    for index, (number, person) in enumerate(walking):
        angle = math.pi / 2 + 2 * math.pi * index / max(count, 1)  # counter-clockwise from the top
        marks.append(SeatMark(number, round(centre + ring * math.cos(angle), 1),
                              round(centre - ring * math.sin(angle), 1), person))
    return TableDrawing("round", int(size), int(size), (centre, centre, round(table_radius, 1)), tuple(marks))


def _rectangle(count: int, walking: list) -> TableDrawing:
    per_long_side = max(1, math.ceil((count - 2) / 2)) if count > 2 else 1
    width = 120 + 40 * per_long_side
    height = 170
    left, top, right, bottom = 34, 34, width - 34, height - 34
    perimeter_points = []
    # Walk counter-clockwise from the top middle: along the top to the left, down the left end, along the
    # bottom to the right, up the right end, back along the top to the middle.
    edges = [((right + left) / 2, top - 20, left, top - 20), (left - 20, top, left - 20, bottom),
             (left, bottom + 20, right, bottom + 20), (right + 20, bottom, right + 20, top),
             (right, top - 20, (right + left) / 2, top - 20)]
    lengths = [math.dist(edge[:2], edge[2:]) for edge in edges]
    total = sum(lengths)
    for index in range(count):
        distance = total * index / count
        for (x1, y1, x2, y2), length in zip(edges, lengths):
            if distance <= length or (x1, y1, x2, y2) == edges[-1]:
                share = distance / length if length else 0
                perimeter_points.append((round(x1 + (x2 - x1) * share, 1), round(y1 + (y2 - y1) * share, 1)))
                break
            distance -= length
    marks = tuple(SeatMark(number, x, y, person) for (number, person), (x, y) in zip(walking, perimeter_points))
    return TableDrawing("rectangular", int(width), height, (left, top, right - left, bottom - top), marks)


def _head(count: int, walking: list) -> TableDrawing:
    width = 40 + 38 * count
    height = 110
    marks = tuple(SeatMark(number, 20 + 38 * index + 19, 30, person)
                  for index, (number, person) in enumerate(walking))
    return TableDrawing("head", width, height, (14, 52, width - 28, 36), marks)


def draw_table(shape: str, seats: int, walking: list) -> TableDrawing:
    """`walking`: (seat number, person or None) in walking order (see seating.seats_in_walking_order)."""
    if shape == "head":
        return _head(seats, walking)
    if shape == "rectangular":
        return _rectangle(seats, walking)
    return _round(seats, walking)
