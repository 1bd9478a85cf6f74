"""The department's dashboard on a 360 px phone: no chart label runs past its drawing, and a label
shortened to fit is whole in its bar's tooltip (<title>)."""

import pytest
from django.urls import reverse

from tests.browser.test_home import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_chart_label_is_clipped_at_360_px_and_each_is_whole_in_its_tooltip(
    page, democratization_actors, democratization_objects
):
    page.set_viewport_size({"width": 360, "height": 800})
    _sign_in(page, democratization_actors["department_head"].username)
    page.goto(reverse("democratization:dashboard") + "?from=2023-01&to=2023-12")
    chart = page.locator("#chart-recommendation-by-addressee svg.chart-svg")
    assert chart.count() == 1
    assert chart.locator("rect").count() >= 1  # stacked bars, one rectangle per status
    outside = page.evaluate(
        """() => [...document.querySelectorAll("svg.chart-svg text")].filter(text => {
              const box = text.getBoundingClientRect(), svg = text.ownerSVGElement.getBoundingClientRect();
              return box.width > 0 && (box.left < svg.left - 0.5 || box.right > svg.right + 0.5);
           }).map(text => text.textContent)"""
    )
    assert outside == []
    titles = chart.locator("g > title").all_text_contents()
    assert any(title.startswith("Assembly of Kosovo: 1") for title in titles), titles
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
