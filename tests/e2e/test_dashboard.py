"""The dashboard in a real browser against `ntx up` replaying real candles."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.harness import (
    ARTIFACTS,
    AXE_JS,
    OPERATOR_TOKEN,
    READ_TOKEN,
    Platform,
    console_errors,
)

# The platform fixture trains a model first: signals start ~16 replayed bars after the first bar.
SIGNAL_WAIT_MS = 45_000
# exec_core fills an approved market order on the symbol's next bar (~0.5 s at x7200).
FILL_WAIT_MS = 30_000
APPROVE_LABEL = re.compile(r"^Approve (buy|sell) (\S+) (\S+)$")


def shot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save a screenshot as a test artifact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def expect_live(page: Page) -> None:
    expect(page.get_by_test_id("connection")).to_have_attribute(
        "data-state", "open", timeout=20_000
    )


def sign_in(page: Page, token: str = READ_TOKEN) -> None:
    page.goto("/")
    page.get_by_label("API token").fill(token)
    page.get_by_role("button", name="Connect").click()
    expect_live(page)


def wait_for_candles(page: Page) -> None:
    expect(page.get_by_test_id("last-bar")).to_be_visible(timeout=30_000)


def canvas_colors(page: Page) -> int:
    """The most distinct colours drawn on any canvas of the candle chart."""
    result: int = page.evaluate(
        """() => {
          let best = 0;
          for (const c of document.querySelectorAll('[data-testid="candle-chart"] canvas')) {
            if (!c.width || !c.height) continue;
            const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            const seen = new Set();
            for (let i = 0; i < data.length; i += 16) {
              if (data[i + 3] > 0) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
            }
            best = Math.max(best, seen.size);
          }
          return best;
        }"""
    )
    return result


def test_sign_in_keeps_the_token_in_session_storage_not_the_url(page: Page) -> None:
    sign_in(page)
    assert READ_TOKEN not in page.url
    stored = page.evaluate("() => sessionStorage.getItem('ntx.token')")
    assert stored == READ_TOKEN
    assert page.evaluate("() => localStorage.getItem('ntx.token')") is None


def test_a_wrong_token_is_refused_visibly(page: Page) -> None:
    page.goto("/")
    page.get_by_label("API token").fill("not-a-token")
    page.get_by_role("button", name="Connect").click()
    expect(page.get_by_text("The gateway refused that token.")).to_be_visible(timeout=20_000)
    assert page.evaluate("() => sessionStorage.getItem('ntx.token')") is None


def test_candles_render_on_the_canvas_and_follow_the_replay(page: Page) -> None:
    sign_in(page)
    wait_for_candles(page)
    page.wait_for_function(
        """() => {
          const c = document.querySelector('[data-testid="candle-chart"] canvas');
          return c && c.width > 0;
        }"""
    )
    page.wait_for_timeout(500)
    assert canvas_colors(page) > 5, "the candle chart drew nothing"
    first = page.get_by_test_id("last-bar").inner_text()
    expect(page.get_by_test_id("last-bar")).not_to_have_text(first, timeout=20_000)
    received = page.get_by_test_id("received").inner_text()
    assert int(received.split()[0]) > 0
    shot(page, "desktop-live")


def test_switching_symbol_loads_its_history(page: Page) -> None:
    sign_in(page)
    wait_for_candles(page)
    page.get_by_label("Symbol").select_option("ETH/USDT")
    expect(page.get_by_role("figure", name="ETH/USDT candlestick chart")).to_be_visible()
    expect(page.get_by_test_id("last-bar")).to_contain_text("bars", timeout=20_000)


def test_a_signal_appears_with_its_attribution_bars(page: Page) -> None:
    sign_in(page)
    explain = page.get_by_role("button", name=re.compile(r"^Explain "))
    expect(explain.first).to_be_visible(timeout=SIGNAL_WAIT_MS)
    explain.first.click()
    detail = page.get_by_test_id("signal-detail")
    expect(detail).to_be_visible()
    bars = detail.get_by_test_id("attribution-bar")
    expect(bars.first).to_be_visible()
    expect(detail.get_by_test_id("base-value")).not_to_be_empty()
    expect(detail.get_by_test_id("model-version")).to_have_text(re.compile(r"^\S+ v\d+$"))
    texts = bars.all_inner_texts()
    assert len(texts) > 1, texts
    magnitudes = [abs(float(t.split()[-1])) for t in texts]
    assert magnitudes == sorted(magnitudes, reverse=True), texts
    assert any(m > 0 for m in magnitudes), texts
    shot(page, "signal-detail")


def test_approving_a_pending_signal_produces_a_fill(page: Page) -> None:
    sign_in(page, OPERATOR_TOKEN)
    pending = page.get_by_test_id("approval").get_by_role("button", name=APPROVE_LABEL)
    expect(pending.first).to_be_visible(timeout=SIGNAL_WAIT_MS)
    # New requests are listed first: pin the one read here, not whichever is first at click time.
    label = pending.first.get_attribute("aria-label") or ""
    match = APPROVE_LABEL.match(label)
    assert match is not None, label
    side, quantity, symbol = match.groups()
    card = page.get_by_test_id("approval").filter(
        has=page.get_by_role("button", name=label, exact=True)
    )
    card.first.get_by_role("button", name=label, exact=True).click()
    # The entry's fill; the horizon's exit (same quantity, other side) may follow within seconds.
    fill = (
        page.get_by_test_id("fills")
        .locator("tbody tr")
        .filter(has_text=f"{quantity} @")
        .filter(has=page.get_by_role("cell", name=side, exact=True))
        .filter(has=page.get_by_role("cell", name=symbol, exact=True))
    )
    expect(fill.first).to_be_visible(timeout=FILL_WAIT_MS)
    expect(page.get_by_test_id("positions")).to_contain_text(symbol)
    expect(page.get_by_role("button", name=label, exact=True)).to_have_count(0)
    page.get_by_test_id("fills").scroll_into_view_if_needed()
    shot(page, "approved-fill")


def test_the_kill_switch_refuses_the_read_token(page: Page) -> None:
    sign_in(page)
    page.get_by_role("button", name=re.compile(r"(Engage|Release) kill switch")).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Operator token").fill(READ_TOKEN)
    dialog.get_by_label("Reason").fill("e2e: the read token must be refused")
    dialog.get_by_role("button", name=re.compile(r"^Confirm")).click()
    refused = "refused: this needs the operator token"
    expect(page.get_by_test_id("kill-result")).to_contain_text(refused)
    shot(page, "kill-switch-refused", full_page=False)


def test_the_theme_is_remembered(page: Page) -> None:
    sign_in(page)
    html = page.locator("html")
    expect(html).to_have_class(re.compile(r"\bdark\b"))
    page.get_by_role("button", name="Switch to light theme").click()
    expect(html).not_to_have_class(re.compile(r"\bdark\b"))
    page.reload()
    expect(html).not_to_have_class(re.compile(r"\bdark\b"))
    expect(page.get_by_role("button", name="Switch to dark theme")).to_be_visible()
    expect_live(page)
    wait_for_candles(page)
    shot(page, "desktop-light")


def test_a_390px_viewport_has_no_horizontal_scroll(page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page)
    wait_for_candles(page)
    page.wait_for_timeout(500)
    widths: dict[str, int] = page.evaluate(
        """() => ({scroll: document.documentElement.scrollWidth,
                   client: document.documentElement.clientWidth,
                   body: document.body.scrollWidth})"""
    )
    shot(page, "mobile-390")
    assert widths["scroll"] <= widths["client"], widths
    assert widths["body"] <= 390, widths


def test_axe_finds_no_serious_accessibility_violations(page: Page) -> None:
    page.goto("/")
    violations_before = _axe(page)
    sign_in(page)
    wait_for_candles(page)
    page.get_by_role("button", name=re.compile(r"(Engage|Release) kill switch")).click()
    page.wait_for_timeout(500)
    violations = violations_before + _axe(page)
    page.get_by_role("button", name="Switch to light theme").click()
    page.wait_for_timeout(300)
    violations += _axe(page)
    assert violations == [], violations


def _axe(page: Page) -> list[str]:
    if page.evaluate("() => typeof window.axe") == "undefined":
        page.add_script_tag(path=str(AXE_JS))
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_no_console_errors(page: Page, platform: Platform) -> None:
    sign_in(page)
    wait_for_candles(page)
    page.get_by_label("Symbol").select_option("ETH/USDT")
    page.get_by_role("button", name=re.compile(r"(Engage|Release) kill switch")).click()
    page.get_by_role("button", name="Cancel").click()
    page.get_by_role("button", name=re.compile(r"Switch to (light|dark) theme")).click()
    page.get_by_label("Search").fill("bar")
    page.wait_for_timeout(3_000)
    errors = [e for e in console_errors(page) if not _route_not_served_yet(platform, e)]
    assert errors == [], errors


_FAILED_LOAD = re.compile(r"^Failed to load resource: .* status of (\d+) .* @ (\S+)$")


def _route_not_served_yet(platform: Platform, error: str) -> bool:
    """Chromium logs every failed fetch; a route whose owning service does not serve it yet
    (404/503 for a direct request too) is shown as an error state on the page, not a bug.
    Any other failed load counts."""
    match = _FAILED_LOAD.match(error)
    if match is None:
        return False
    status, url = int(match.group(1)), match.group(2)
    path = url.removeprefix(platform.url)
    if not path.startswith("/api/") or status not in (404, 503):
        return False
    request = urllib.request.Request(platform.url + path)  # noqa: S310 - the local gateway
    request.add_header("Authorization", f"Bearer {READ_TOKEN}")
    try:
        with urllib.request.urlopen(request, timeout=5):  # noqa: S310
            return False
    except urllib.error.HTTPError as exc:
        return exc.code == status
