class Markup(str):
    def upper(self):
        return self.__class__(super().upper())
