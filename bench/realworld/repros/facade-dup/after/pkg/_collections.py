class HeaderDict(dict):
    pass
