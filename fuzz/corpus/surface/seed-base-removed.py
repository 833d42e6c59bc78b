class ClientError(Exception):
    pass


class Timeout(Exception):  # expect: base-removed (`ClientError` swapped for `Exception`)
    pass


class Base:  # near-miss: `object` dropped from the bases
    pass
