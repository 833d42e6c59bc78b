class RootModel:
    pass
