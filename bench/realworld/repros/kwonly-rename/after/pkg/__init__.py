class ExclusionConstraint:
    def __init__(self, *, name, violation_error_code=None, violation_error_message=None):
        pass
