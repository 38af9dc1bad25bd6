"""The one JSON-cleaning helper: numbers and containers from numpy/pandas/torch-free code made
JSON-safe (strict JSON has no NaN or inf)."""
from __future__ import annotations

import math


def jsonable(obj):
    """``obj`` with numpy scalars as Python numbers, arrays/tuples/sets as lists, dict keys as str,
    and non-finite floats as None, recursively. Anything else is returned as it is (json.dumps
    then says what it cannot encode)."""
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set)):
        return [jsonable(v) for v in obj]
    if hasattr(obj, "tolist") and not isinstance(obj, (str, bytes)):     # numpy scalar or array
        return jsonable(obj.tolist())
    if isinstance(obj, bool) or obj is None or isinstance(obj, (int, str)):
        return obj
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    return obj
