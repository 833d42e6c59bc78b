import datetime

import dateutil.parser


def fmt(text):
    return dateutil.parser.parse(text), datetime
