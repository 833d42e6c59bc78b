import warnings


class BaseConstraint:
    def __init__(self, *args, name=None, violation_error_message=None):
        if args:
            warnings.warn("positional arguments are deprecated", DeprecationWarning)
            name, violation_error_message = (*args, None)[:2]
        self.name = name
