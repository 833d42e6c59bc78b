class BaseConstraint:
    def __init__(self, name, violation_error_message=None):
        self.name = name
