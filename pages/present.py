"""Presentation mode: one step of the story per screen, full width, offline, ←/→ to step."""

from dashboard.ui import layout, present, url_state

lang = layout.lang()
present.hide_chrome()
number = present.current_step()
url_state.show_notices(lang)
present.keyboard()
present.slide(number, lang)
