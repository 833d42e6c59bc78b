def load(f, decoder=None):
    return decoder
