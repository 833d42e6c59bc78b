import functools

def timeout() -> int:  # expect: kind-changed (variable -> function)
    return 5


class Connection:  # expect: kind-changed (function -> class)
    def __init__(self, host: str) -> None:
        self.host = host


class Client:
    @property
    def closed(self) -> bool:  # expect: kind-changed (method -> property)
        return False

    @property
    def name(self) -> "str":  # near-miss: unchanged property
        return ""


class Field:
    def __init__(self, choices: list | None = None) -> None:
        self._choices = choices

    # near-miss: an attribute became a property with a setter; reading and assigning still work
    @property
    def choices(self) -> list | None:
        return self._choices

    @choices.setter
    def choices(self, value: list | None) -> None:
        self._choices = value

    # near-miss: a cached_property can still be assigned on an instance (Django 5.0's
    # `DatabaseFeatures.allows_group_by_selected_pks`)
    @functools.cached_property
    def size(self) -> int:
        return 1

    # expect: kind-changed (attribute -> read-only property: `field.frozen_name = x` fails)
    @property
    def frozen_name(self) -> str:
        return "field"


class Settings:
    # expect: kind-changed (the property lost its setter: `settings.debug = True` fails)
    @property
    def debug(self) -> bool:
        return self._debug
