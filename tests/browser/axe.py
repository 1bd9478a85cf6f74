"""axe-core in the page under test, for every department's accessibility sweep: the bar is no serious
or critical violation, on a desktop and on a 360 px phone. axe-core is vendored in
tests/browser/vendor/axe-core (MPL-2.0); it is injected into the page under test only."""

from pathlib import Path

from playwright.sync_api import expect

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}
BLOCKING = ("serious", "critical")


def with_axe(page):
    """Every page of the context gets axe before its own scripts (an init script, so the portal's
    Content-Security-Policy, which refuses injected scripts, stays as it is)."""
    page.context.add_init_script(path=str(AXE))
    return page


def violations(page) -> list[str]:
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['impact']} {v['id']}: {v['help']} — {[n['target'] for n in v['nodes']][:4]}"
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]


def resize(page, viewport: dict[str, int]) -> None:
    """Resize a page that is already loaded, and wait until its scripts have answered the resize event
    (portal.js makes a table box that now scrolls keyboard-focusable then): the resize is dispatched
    before the next animation frame, so a frame and a task after it the handlers have run."""
    page.set_viewport_size(viewport)
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => setTimeout(done)))")


def assert_none(page) -> None:
    """No serious or critical violation on the page as it is now."""
    found = violations(page)
    assert not found, "\n".join(found)


def check(page, urls: list[str]) -> None:
    """Each of `urls` on both screens: no serious or critical violation."""
    found = {}
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        for url in urls:
            page.goto(url)
            expect(page.locator("h1").first).to_be_visible()
            if found_here := violations(page):
                found[f"{size} {url}"] = found_here
    assert not found, "\n".join(f"{where}:\n  " + "\n  ".join(v) for where, v in found.items())
