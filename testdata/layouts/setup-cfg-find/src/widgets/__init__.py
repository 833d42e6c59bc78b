__version__ = "2.0.0"


def make_widget(name):
    return name
