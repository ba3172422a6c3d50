"""The chart tests' data files, and readers of them that do not use the engine."""

import csv
import re
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
POPULATION = DATA / "World_historical_and_predicted_populations_in_percentage.csv"
DEATHS = DATA / "eurostat_demo_r_mwk_ts__mafik-europe-deaths-by-week.tsv"
YEARS = [
    "1500",
    "1600",
    "1700",
    "1750",
    "1800",
    "1850",
    "1900",
    "1950",
    "1999",
    "2008",
    "2010",
    "2012",
    "2050",
    "2150",
]
_CELL = re.compile(r"^\s*(\d+(?:\.\d+)?)?\s*:?\s*[a-z]*\s*$")


def population_rows():
    """The population CSV as dicts, read with the csv module."""
    with open(POPULATION, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def deaths_cells():
    """Every cell of the Eurostat TSV as a dict (sex, unit, geo, time, value)."""
    with open(DEATHS, encoding="utf-8") as handle:
        header = handle.readline().rstrip("\r\n").split("\t")
        weeks = [label.strip() for label in header[1:]]
        for line in handle:
            cells = line.rstrip("\r\n").split("\t")
            sex, unit, geo = cells[0].split(",")
            for week, cell in zip(weeks, cells[1:]):
                number = _CELL.match(cell).group(1)
                yield {
                    "sex": sex,
                    "unit": unit,
                    "geo": geo,
                    "time": week,
                    "value": None if number is None else float(number),
                }


def week_start(label):
    """The Monday of an ISO week label such as ``2020W05``; None for no such week."""
    import datetime

    match = re.match(r"^(\d{4})W(\d{2})$", label)
    if not match:
        return None
    try:
        return datetime.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        return None


def period_start(day, unit):
    """The first day of the calendar ``unit`` (weeks from Monday) that holds ``day``."""
    import datetime

    if unit == "day":
        return day
    if unit == "week":
        return day - datetime.timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    if unit == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(month=1, day=1)
