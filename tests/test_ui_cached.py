"""cached.memo: one computation per identical inputs, frames compared by identity."""

import pandas as pd

from dashboard.ui import cached


def test_memo_reuses_results_for_the_same_frame_and_recomputes_for_another():
    calls = []

    def summarise(frame, lang):
        calls.append(lang)
        return len(frame)

    frame = pd.DataFrame({"a": [1, 2, 3]})
    assert cached.memo(summarise, frame, "en") == 3
    assert cached.memo(summarise, frame, "en") == 3
    assert calls == ["en"]
    assert cached.memo(summarise, frame, "ja") == 3  # another argument value
    assert cached.memo(summarise, frame.copy(), "en") == 3  # an equal but different frame object
    assert calls == ["en", "ja", "en"]


def test_memo_refuses_a_dict_of_frames():
    import pandas as pd
    import pytest

    from dashboard.ui import cached

    with pytest.raises(TypeError, match="one by one"):
        cached.memo(len, {"a": pd.DataFrame({"x": [1]})})
