"""Bodies that the skim (src/api/skim.rs) may leave out of the parse, or must keep.

`api::exports::tests::skimmed_files_give_the_full_parses_facts` reads this file skimmed and
whole and wants the same facts: generators (a `yield` placeholder stands in for their body),
deprecation warnings among leading statements, and what `*args`/`**kwargs` refuse.
"""

import warnings


def gen():
    x = 1
    yield x


def gen_first():
    yield {
        "a": 1,
    }


def gen_deep(items):
    for item in items:
        if item:
            yield item


async def agen(source):
    async for x in source:
        yield x


async def awith(source):
    async with source as s:
        yield s


def short_first_line():
    y
    yield 2


def yield_in_nested(items):
    def inner():
        yield 1

    class Inner:
        def method(self):
            yield 2

    return [inner, Inner]


def yield_in_a_string():
    return "yield"


def yield_in_a_comment():
    # yield
    return 1


def yield_in_an_fstring(x):
    return f"{x} yield"


def yield_in_a_lambda():
    f = lambda: (yield)  # noqa: E731
    return f


def yield_from(items):
    yield from items


def late_warning(x):
    if x:
        warnings.warn("x", DeprecationWarning)
    return x


def leading_warning():
    """Doc."""
    warnings.warn("gone", DeprecationWarning, stacklevel=2)
    return 1


def leading_warning_after_assignment():
    message = "gone"
    warnings.warn(message, category=FutureWarning)


def warning_after_a_call():
    setup()
    warnings.warn("gone", PendingDeprecationWarning)


def raise_in_a_loop(*args):
    for a in args:
        raise TypeError(a)


def raise_under_if(**kw):
    if kw:
        raise TypeError(kw)


def raise_under_if_inline(**kw):
    if "old" in kw: raise TypeError("old")  # noqa: E701
    return kw


def raise_under_elif(**kw):
    if "a" in kw:
        pass
    elif "old" in kw:
        raise TypeError("old")


def raise_deeper(**kw):
    if kw:
        for k in kw:
            raise TypeError(k)


def raise_in_try(*a):
    try:
        raise ValueError
    except ValueError:
        pass


def popped_then_raised(default=None, **extra):
    const = extra.pop("const", None)
    if const is not None:
        raise TypeError("gone")
    return default


def always_raises(*args, **kwargs):
    """Gone."""
    warnings.warn("gone", DeprecationWarning)
    raise NotImplementedError("gone")


class Methods:
    def gen(self):
        yield self

    def not_gen(self):
        return "yield from"

    def kw(self, **kw):
        if kw.get("old"):
            raise TypeError("old")

    def kw_deep(self, **kw):
        while kw:
            if kw.get("old"):
                raise TypeError("old")

    def yield_in_nested(self):
        def inner():
            yield 1

        async def ainner():
            yield 2

        class Inner:
            def method(self):
                yield 3

        return [inner, ainner, Inner]
