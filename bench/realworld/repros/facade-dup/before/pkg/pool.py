def urlopen(headers):
    return dict(headers)
