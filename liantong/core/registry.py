"""Excel specs of every app by CLI kind (``liantong import/export KIND``); apps register in ready()."""

_SPECS: dict = {}


def register_specs(specs: dict) -> None:
    _SPECS.update(specs)


def excel_specs() -> dict:
    return dict(_SPECS)
