"""``liantong gen``: the people strand at scale (filled in below)."""


def generate(scale, log) -> dict:
    return {}
