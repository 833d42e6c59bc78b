def parse(text, *, dayfirst=False):
    return text
