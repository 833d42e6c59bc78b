class Representation:
    def __repr_name__(self):
        return self.__class__.__name__
