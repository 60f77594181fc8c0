"""placeholder"""


def generate(scale, log):
    return {}
