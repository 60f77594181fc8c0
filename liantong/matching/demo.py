"""placeholder"""


def load(ctx):
    pass
