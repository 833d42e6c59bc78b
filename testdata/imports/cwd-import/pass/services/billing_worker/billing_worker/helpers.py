def help():
    return 1
