def attach(field):
    pass
