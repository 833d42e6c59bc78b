import datetime
from typing import TYPE_CHECKING

import dateutil.parser
import yaml

try:
    import tomllib
except ModuleNotFoundError:
    import tomli as tomllib
try:
    import ujson as json
except ImportError:
    import json
if TYPE_CHECKING:
    from _typeshed import StrPath


def to_frame(rows):
    import pandas  # an optional feature: its caller has pandas

    return pandas.DataFrame(rows)


def fmt(text: "StrPath"):
    return dateutil.parser.parse(text), datetime, yaml, tomllib, json
