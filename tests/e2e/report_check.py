"""Checks an `assay report` page in headless Chromium (Debian's chromium and
chromium-driver, driven by python3-selenium): at each width given, that the
page shows every text asked for, has no horizontal scrolling, asked for
nothing over the network (Chromium's net log), holds no script, keeps its
headings in order and its text at WCAG AA contrast; a screenshot of each
width is kept.

report_check.py PAGE SCREENSHOT_DIR WIDTH[,WIDTH...] [--expect TEXT]... [--literal TEXT]...
--expect: text the page must show; --literal: text that must show as text
(HTML from a record); the page may hold only the elements assay writes.
"""
import json
import os
import sys
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

# Relative luminance and contrast ratio, WCAG 2.1 (1.4.3: 4.5 for text, 3 for large text).
CONTRAST = r"""
function rgba(text) {
  const m = text.match(/rgba?\(([^)]+)\)/);
  if (!m) return [0, 0, 0, 0];
  const p = m[1].split(',').map(Number);
  return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
}
function luminance([r, g, b]) {
  const c = [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}
function background(e) {
  for (; e; e = e.parentElement) {
    const c = rgba(getComputedStyle(e).backgroundColor);
    if (c[3] > 0) return c;
  }
  return [255, 255, 255, 1];
}
const failures = [];
for (const e of document.querySelectorAll('body *')) {
  const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  if (!own) continue;
  const style = getComputedStyle(e);
  const svgText = e instanceof SVGElement;
  const fg = rgba(svgText ? style.fill : style.color);
  const bg = svgText ? [255, 255, 255, 1] : background(e);
  const [l1, l2] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
  const ratio = (l1 + 0.05) / (l2 + 0.05);
  const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
  const large = size >= 24 || (bold && size >= 18.66);
  if (ratio < (large ? 3 : 4.5)) failures.push(e.tagName + ' ' + ratio.toFixed(2) + ': ' + e.textContent.trim().slice(0, 40));
}
return failures;
"""


# What the renderer writes: anything else (a script, an image, a tag from a
# record's text) is a failure.
ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "h3", "h4", "p", "table",
                "thead", "tbody", "tr", "th", "td", "abbr", "code", "pre", "svg", "rect", "line", "text", "circle"}


def driver(net_log):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                 "--disable-background-networking", "--disable-component-update", "--no-first-run",
                 "--disable-sync", "--disable-default-apps", "--log-net-log=" + net_log,
                 "--disable-features=NetworkTimeServiceQuerying,MediaRouter,OptimizationHints"]:
        options.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def page_requests(net_log):
    """Every URL a page asked Chromium for. Requests Chromium starts itself
    (its component updater, sign-in, network time) have no initiating origin,
    "not an origin" in the log; whatever a page loads names the page's
    origin, "null" for a file."""
    log = json.load(open(net_log))
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    urls = set()
    for event in log.get("events", []):
        params = event.get("params", {})
        if event.get("type") == start_job and "url" in params and params.get("initiator") != "not an origin":
            urls.add(params.get("url"))
    return urls


def main():
    page, shots, widths = os.path.abspath(sys.argv[1]), sys.argv[2], [int(w) for w in sys.argv[3].split(",")]
    expected, literal = [], []
    args = sys.argv[4:]
    if len(args) % 2:
        sys.exit("report_check.py: --expect and --literal each take a text")
    for flag, value in zip(args[::2], args[1::2]):
        if flag not in ("--expect", "--literal"):
            sys.exit(f"report_check.py: unknown flag {flag}")
        (expected if flag == "--expect" else literal).append(value)
    os.makedirs(shots, exist_ok=True)
    url = "file://" + page
    problems = []
    for width in widths:
        net_log = tempfile.mktemp(suffix=".json")
        browser = driver(net_log)
        try:
            browser.set_window_size(width, 900)
            browser.get(url)
            text = browser.execute_script("return document.body.innerText")
            for want in expected + literal:
                if want not in text:
                    problems.append(f"{width} px: the page does not show {want!r}")
            scroll, inner = browser.execute_script(
                "return [document.documentElement.scrollWidth, window.innerWidth]")
            if scroll > inner:
                problems.append(f"{width} px: the page scrolls sideways ({scroll} px wide)")
            tags = set(browser.execute_script(
                "return [...document.querySelectorAll('*')].map(e => e.tagName.toLowerCase())"))
            if tags - ALLOWED_TAGS:
                problems.append(f"{width} px: the page holds elements assay does not write: {sorted(tags - ALLOWED_TAGS)}")
            headings = browser.execute_script(
                "return [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => +h.tagName[1])")
            if not headings or headings[0] != 1 or headings.count(1) != 1:
                problems.append(f"{width} px: the page does not start with its one h1: {headings[:5]}")
            for before, after in zip(headings, headings[1:]):
                if after > before + 1:
                    problems.append(f"{width} px: a heading skips a level (h{before} then h{after})")
                    break
            for failure in browser.execute_script(CONTRAST):
                problems.append(f"{width} px: contrast below WCAG AA: {failure}")
            height = browser.execute_script("return document.documentElement.scrollHeight")
            browser.set_window_size(width, min(height, 16000))
            browser.save_screenshot(os.path.join(shots, f"report-{width}.png"))
        finally:
            browser.quit()
        others = {u for u in page_requests(net_log) if u != url}
        if others:
            problems.append(f"{width} px: the page made requests: {sorted(others)}")
        os.unlink(net_log)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
