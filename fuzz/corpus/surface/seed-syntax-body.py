def f(x):
    return (x +

def g(): pass
