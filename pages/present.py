"""Presentation mode: one step of the story per screen, full width, offline, ←/→ to step."""

from dashboard import ui, ui_present

lang = ui.lang()
ui_present.hide_chrome()
number = ui_present.current_step()
ui.show_notices(lang)
ui_present.keyboard()
ui_present.slide(number, lang)
ui_present.takeaway_section(number, lang)
