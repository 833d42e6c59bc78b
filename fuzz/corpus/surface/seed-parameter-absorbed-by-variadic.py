# expect: parameter-absorbed-by-variadic (`timeout` now lands in **options)
# expect: variadic-added (**options is new)
def connect(host: str, **options: object) -> None: ...


# expect: parameter-absorbed-by-variadic (`retries` now lands in **kwargs)
def request(url: str, **kwargs: object) -> None: ...
