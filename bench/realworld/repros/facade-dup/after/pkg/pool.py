from ._collections import HeaderDict


def urlopen(headers):
    return HeaderDict(headers)
