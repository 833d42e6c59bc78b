class ExclusionConstraint:
    def __init__(self, *, name, opclasses=(), violation_error_message=None):
        pass
