import json

import numpy as np

from ganalyze.jsonsafe import jsonable


def test_numpy_and_non_finite_values_become_strict_json():
    obj = {"a": np.float32(0.5), "b": np.int64(3), "c": np.array([1.0, np.nan]), "d": (float("inf"), None),
           1: {"e": {np.bool_(True)}}, "f": "text"}
    out = jsonable(obj)
    assert out == {"a": 0.5, "b": 3, "c": [1.0, None], "d": [None, None], "1": {"e": [True]}, "f": "text"}
    json.dumps(out, allow_nan=False)
