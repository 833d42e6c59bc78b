def open_connection(host: str) -> None:  # expect: name-added
    ...


# near-miss: the old name is kept as an alias, so it is not removed
connect = open_connection


def _helper() -> None:  # near-miss: a private addition
    ...


if __name__ == "__main__":  # near-miss: a script block never runs on import
    from json import loads as open_connection  # near-miss: does not shadow the function

    def cli() -> None: ...  # near-miss: not an addition
