"""The report as a person sees it: a real headless Chromium (Debian's chromium and
chromium-driver, driven by selenium) opens the page of a real `belnlp extract` output and
checks that claims are highlighted, entities marked and both charts drawn, all visible."""

import shutil
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from typer.testing import CliRunner

from belnlp.cli import app
from belnlp.views.outputs import read_claims
from tests.fixtures.claim_files import pipeline_claims

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1280,1600")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="needs Debian's chromium and chromium-driver: "
           "apt-get install -y chromium chromium-driver",
)

#: Size, visibility and paint of every element matching a selector, read in one round trip.
BOXES = """
return Array.from(document.querySelectorAll(arguments[0])).map(function (el) {
  var box = el.getBoundingClientRect(), style = getComputedStyle(el);
  return {width: box.width, height: box.height, visible: style.visibility === "visible"
          && style.display !== "none", background: style.backgroundColor,
          image: style.backgroundImage, shadow: style.boxShadow,
          categories: el.getAttribute("data-categories")};
});
"""


@pytest.fixture(scope="session")
def claims_file(tmp_path_factory) -> Path:
    return pipeline_claims(tmp_path_factory)


@pytest.fixture
def page(claims_file, tmp_path):
    """The report of the real claims file, open in headless Chromium with a fresh profile."""
    report = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["report", str(claims_file), "-o", str(report)])
    assert result.exit_code == 0, result.output
    options = Options()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        driver.get(report.as_uri())
        yield driver
    finally:
        driver.quit()


def boxes(driver, selector: str) -> list[dict]:
    return driver.execute_script(BOXES, selector)


def shown(box: dict) -> bool:
    return box["visible"] and box["width"] > 0 and box["height"] > 0


def test_claims_entities_and_charts_are_visible(page, claims_file, tmp_path):
    records = read_claims([claims_file]).records
    claims = boxes(page, ".claim")
    assert len(claims) == len(records) > 0
    assert all(shown(box) for box in claims)
    categorised = [box for box in claims if box["categories"]]
    assert categorised, "the corpus should have categorised claims"
    for box in categorised:
        assert box["background"] != "rgba(0, 0, 0, 0)" or "gradient" in box["image"]
        assert box["shadow"] != "none"
    several = [box for box in categorised if " " in box["categories"]]
    assert several and all("repeating-linear-gradient" in box["image"] for box in several)
    badges = boxes(page, ".claim .badge")
    assert len(badges) == sum(len(r["categories"]) for r in records)
    assert all(shown(box) for box in badges)

    entities = boxes(page, "mark.ent")
    assert len(entities) == sum(len(r["entities"]) for r in records) > 0
    assert all(shown(box) for box in entities)
    label = page.find_element(By.CSS_SELECTOR, "mark.ent .ent-label")
    assert label.is_displayed() and label.text

    for chart, mark in (("#chart-categories", "rect.bar"), ("#chart-actors", "circle")):
        svg = page.find_element(By.CSS_SELECTOR, f"{chart} svg")
        assert svg.is_displayed()
        assert svg.size["width"] > 200 and svg.size["height"] > 20
        assert any(shown(box) for box in boxes(page, f"{chart} {mark}"))
    assert boxes(page, "#chart-actors path.edge")

    screenshot = tmp_path / "report.png"
    assert page.save_screenshot(str(screenshot))
    assert screenshot.stat().st_size > 10_000
    print(f"screenshot: {screenshot}")


def test_a_click_pins_the_claims_evidence(page):
    claim = page.find_element(By.CSS_SELECTOR, ".claim[data-categories~='economic']")
    panel = claim.find_element(By.CSS_SELECTOR, ".evidence")
    assert not panel.is_displayed()
    assert "economic:" in claim.get_attribute("title")
    page.execute_script("arguments[0].scrollIntoView({block: 'center'})", claim)
    claim.click()
    assert panel.is_displayed()
    assert "economic:" in panel.text and "modality:" in panel.text
