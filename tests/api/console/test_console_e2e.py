"""The console in a real browser (Debian's Chromium via Playwright) against the served demo world.

Every view is checked against the API's own JSON answers (names, ranks, sizes, scores), the key
sign-in and the read-only key's limits are exercised, and every request the browser makes is
recorded and must stay on this machine. A screenshot of each view is saved (docs/img with
``make console-screenshots``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from conftest import ADMIN_KEY, READ_KEY, SAVED_SEGMENT
from console_browser import off_machine

from ingest.loader import apply_batches
from ingest.sources.canonical import read_event_objects

pytestmark = pytest.mark.slow


def sign_in(page: Any, base_url: str, key: str, path: str = "#/map") -> None:
    page.goto(f"{base_url}/console{path}")
    page.wait_for_selector("body[data-ready='1']")
    page.fill("[data-testid=api-key]", key)
    page.click("[data-testid=sign-in]")
    page.wait_for_selector("body[data-role]")


def number(text: str) -> float:
    return float(text.replace(",", "").replace("%", "").strip())


def close(text: str, value: float, rel: float = 1e-3) -> bool:
    return abs(number(text) - value) <= rel * max(abs(value), 1e-12)


def assert_stayed_local(requests_seen: list[tuple[str, str]]) -> None:
    assert requests_seen, "the browser made no request at all"
    assert off_machine([url for _, url in requests_seen]) == []


def writes(requests_seen: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Requests that would change the store (everything but reads and the read-only POSTs)."""
    reads = ("/v1/segments/preview", "/v1/outreach/plan", "/v1/outreach/simulate")
    return [
        (method, url)
        for method, url in requests_seen
        if method not in {"GET", "HEAD"} and not url.split("?")[0].endswith(reads)
    ]


def test_sign_in_refuses_a_bad_key_and_keeps_a_good_one_in_session_storage_only(
    page, base_url, requests_seen, screenshot_dir
):
    page.goto(f"{base_url}/")  # the root redirects to the console
    page.wait_for_selector("body[data-ready='1']")
    assert page.url.endswith("/console")
    page.fill("[data-testid=api-key]", "not-a-key")
    page.click("[data-testid=sign-in]")
    page.wait_for_selector("[data-testid=sign-in-error]:visible")
    assert "not valid" in page.inner_text("[data-testid=sign-in-error]")
    assert page.evaluate("sessionStorage.length") == 0
    page.screenshot(path=str(screenshot_dir / "console-sign-in.png"))

    page.fill("[data-testid=api-key]", ADMIN_KEY)
    page.click("[data-testid=sign-in]")
    page.wait_for_selector("body[data-role=admin]")
    assert page.inner_text("[data-testid=role]") == "admin"
    assert page.is_visible("[data-testid=run-analysis]")  # a write action, shown to this key
    assert page.evaluate("Object.values(sessionStorage)") == [ADMIN_KEY]
    assert page.evaluate("localStorage.length") == 0
    assert page.context.cookies() == []
    page.click("[data-testid=sign-out]")
    page.wait_for_selector("[data-testid=api-key]:visible")
    assert page.evaluate("sessionStorage.length") == 0
    assert_stayed_local(requests_seen)


def test_community_map_matches_the_api_opens_a_community_and_shows_a_profile_card(
    page, base_url, api_get, requests_seen, screenshot_dir
):
    overview = api_get("/v1/community-map", limit=200)
    sign_in(page, base_url, ADMIN_KEY)
    page.wait_for_selector("body[data-map-ready='1']")
    legend = page.locator("[data-testid=legend] li")
    assert legend.count() == len(overview["nodes"])
    for index, node in enumerate(overview["nodes"]):
        item = legend.nth(index)
        assert item.get_attribute("data-community") == str(node["id"])
        assert number(item.locator("[data-testid=community-size]").inner_text()) == node["size"]
        top = node["top_members"][0]
        assert f"@{top['handle']}" in item.inner_text()
    page.screenshot(path=str(screenshot_dir / "console-map.png"))

    largest = overview["nodes"][0]
    position = page.evaluate(f"window.rapportMap.screenPosition({largest['id']})")
    page.mouse.click(position["x"], position["y"])
    page.wait_for_url(re.compile(rf"#/map/{largest['id']}$"))
    page.wait_for_selector("body[data-map-ready='1']")
    view = api_get(f"/v1/community-map/{largest['id']}", limit=200)
    members = page.locator("[data-testid=members] li a")
    shown = [members.nth(i).get_attribute("data-profile") for i in range(members.count())]
    assert shown == [node["id"] for node in view["nodes"][:25]]

    top = view["nodes"][0]
    position = page.evaluate(f"window.rapportMap.screenPosition({json.dumps(top['id'])})")
    page.mouse.click(position["x"], position["y"])
    page.wait_for_selector("[data-testid=card-handle]")
    profile = api_get(f"/v1/profiles/{quote(top['id'], safe='')}")
    assert page.inner_text("[data-testid=card-handle]") == f"@{profile['handle']} ({profile['platform']})"
    assert number(page.inner_text("[data-testid=card-rank]")) == profile["scores"]["influence_rank"]
    assert close(page.inner_text("[data-testid=card-influence]"), profile["scores"]["influence"])
    # a conversation reads as what it is about (its opening post's text), not as a post id
    shown = page.locator("[data-testid=conversation]").all_inner_texts()
    card_query = api_get(
        f"/v1/profiles/{quote(top['id'], safe='')}", weeks=12, conversations=3
    )  # as the card asks
    expected = card_query["recent_conversations"]
    assert len(shown) == len(expected) and all(
        text.startswith(f"“{c['root_text'][:40]}")
        for text, c in zip(shown, expected, strict=True)
        if c["root_text"]
    )

    frames = int(page.get_attribute("[data-testid=map-canvas]", "data-frames"))
    page.mouse.move(500, 400)
    page.mouse.wheel(0, -300)  # zoom in, then drag: both redraw
    page.mouse.down()
    page.mouse.move(560, 430, steps=5)
    page.mouse.up()
    page.wait_for_function(
        f"Number(document.querySelector('[data-testid=map-canvas]').dataset.frames) > {frames}"
    )
    page.screenshot(path=str(screenshot_dir / "console-community.png"))
    assert_stayed_local(requests_seen)


def test_influencer_board_filters_and_explains_each_score(
    page, base_url, api_get, requests_seen, screenshot_dir
):
    sign_in(page, base_url, ADMIN_KEY, "#/influencers")
    page.wait_for_selector("[data-testid=influencers] tbody tr[data-profile]")
    expected = api_get("/v1/influencers", limit=25, explain="true")["items"]
    rows = page.locator("[data-testid=influencers] tbody tr[data-profile]")
    assert [rows.nth(i).get_attribute("data-profile") for i in range(rows.count())] == [
        item["id"] for item in expected
    ]
    for i, item in enumerate(expected[:5]):
        assert close(rows.nth(i).locator("[data-testid=score]").inner_text(), item["influence"])
        # the place in the list counts from 1 whatever the overall rank (brand accounts rank among all)
        assert rows.nth(i).locator("[data-testid=position]").inner_text() == str(i + 1)
        assert number(rows.nth(i).locator("[data-testid=rank]").inner_text()) == item["rank"]

    rows.nth(0).locator("[data-testid=why]").click()
    explanation = page.locator("[data-testid=explanation]").first
    explanation.wait_for(state="visible")
    explained = expected[0]["explanation"]
    for source in explained["top_sources"]:
        assert (f"@{source['handle']}" if source.get("handle") else source["id"]) in explanation.inner_text()
    # the parts are shown as fractions of the score and add up to all of it
    parts = explanation.locator("[data-testid=part]").all_inner_texts()
    shares = [float(re.search(r"\(([\d.]+) % of the score\)", text).group(1)) for text in parts]
    assert len(shares) == len(explained["top_sources"]) + bool(explained["other_sources_share"]) + bool(
        explained["teleport_share"]
    )
    assert all(0 <= share <= 100 for share in shares) and abs(sum(shares) - 100) <= 0.05 * len(shares)
    page.screenshot(path=str(screenshot_dir / "console-influencers.png"))

    page.select_option("[data-testid=influencer-filters] select[name=brand]", "northwind")
    page.select_option("[data-testid=influencer-filters] select[name=platform]", "instagram")
    page.click("[data-testid=influencer-filters] button[type=submit]")
    expected = api_get("/v1/influencers", brand="northwind", platform="instagram", limit=25)["items"]
    assert expected, "the demo has northwind influencers on instagram"
    page.wait_for_function(
        "id => document.querySelector('[data-testid=influencers] tbody tr[data-profile]')?.dataset.profile === id",
        arg=expected[0]["id"],
    )
    rows = page.locator("[data-testid=influencers] tbody tr[data-profile]")
    assert [rows.nth(i).get_attribute("data-profile") for i in range(rows.count())] == [
        item["id"] for item in expected
    ]
    assert close(rows.nth(0).locator("[data-testid=score]").inner_text(), expected[0]["brand_score"])
    name = next(b["name"] for b in api_get("/v1/brands")["items"] if b["id"] == "northwind")
    assert f"Influence for {name}" in page.inner_text("[data-testid=influencers] thead")  # a name, not an id
    assert_stayed_local(requests_seen)


SPIKE_AUTHORS = "twitter:spike"


def _plant_negative_spike(store: Any, brand: str, hours_after_data: int = 24) -> None:
    """Twelve customers complain about ``brand`` within one hour, a day after the demo's newest post."""
    newest = store.engine.read("MATCH (q:Post) RETURN max(q.created_at) AS t")[0]["t"]
    start = (int(newest) // 3_600_000 + hours_after_data) * 3_600_000
    events: list[dict[str, Any]] = []
    for n in range(12):
        author = f"{SPIKE_AUTHORS}{n:02d}"
        events.append(
            {"kind": "profile", "id": author, "platform": "twitter", "handle": author.split(":")[1]}
        )
        events.append(
            {
                "kind": "post",
                "id": f"spike-{n:02d}",
                "author": author,
                "text": f"@{brand} awful, my order is broken again and nobody answers. I want a refund!",
                "created_at": start + n * 60_000,
                "mentions": [f"twitter:{brand}"],
                "brands": [brand],
            }
        )
    apply_batches(store, read_event_objects(events), batch_size=1000)


def _remove_spike(store: Any) -> None:
    store.execute_text(
        "MATCH (a:Profile)-[:POSTED]->(q:Post) WHERE a.id STARTS WITH $prefix DETACH DELETE q",
        {"prefix": SPIKE_AUTHORS},
        write=True,
    )
    store.execute_text(
        "MATCH (a:Profile) WHERE a.id STARTS WITH $prefix DETACH DELETE a",
        {"prefix": SPIKE_AUTHORS},
        write=True,
    )


def test_brand_page_shows_share_of_voice_sentiment_stances_and_alerts(
    page, base_url, api_get, requests_seen, screenshot_dir
):
    sign_in(page, base_url, ADMIN_KEY, "#/brands/northwind")
    page.wait_for_selector("[data-testid=advocates] tr[data-profile]")
    assert page.inner_text("[data-testid=brand-name]") == "Northwind Coffee"
    brands = api_get("/v1/brands")["items"]
    for brand in brands:
        cell = page.locator(f"[data-testid=share-of-voice] tr[data-brand='{brand['id']}'] [data-testid=sov]")
        assert abs(number(cell.inner_text()) - 100 * brand["share_of_voice"]) <= 0.05
    weeks = api_get("/v1/brands/northwind/sentiment", weeks=12)["weeks"]
    points = page.locator("[data-testid=sentiment-chart] circle")
    assert points.count() == len(weeks) > 0
    assert [float(points.nth(i).get_attribute("data-mean")) for i in range(len(weeks))] == [
        w["mean_sentiment"] for w in weeks
    ]
    for role, box in (("advocates", "advocates"), ("detractors", "detractors")):
        expected = api_get(f"/v1/brands/northwind/{role}", limit=10)["items"]
        rows = page.locator(f"[data-testid={box}] tr[data-profile]")
        assert [rows.nth(i).get_attribute("data-profile") for i in range(rows.count())] == [
            item["id"] for item in expected
        ]
        count = len(expected[0]["evidence"])
        assert f"{count} post{'' if count == 1 else 's'}" in rows.nth(0).inner_text()
    twenty = api_get("/v1/brands/northwind/advocates", limit=20)["items"]
    page.click("[data-testid=advocates-more]")  # the next ten, after the first ten
    page.wait_for_selector(f"[data-testid=advocates] tr[data-profile='{twenty[-1]['id']}']")
    rows = page.locator("[data-testid=advocates] tr[data-profile]")
    assert [rows.nth(i).get_attribute("data-profile") for i in range(rows.count())] == [
        i["id"] for i in twenty
    ]
    page.locator("[data-testid=advocates] details").first.click()
    first = api_get("/v1/brands/northwind/advocates", limit=1)["items"][0]
    first_post = first["evidence"][0]
    assert first_post["text"] in page.locator("[data-testid=advocates] details").first.inner_text()
    parts = page.locator("[data-testid=advocates] details").first.locator("[data-testid=evidence-part]")
    shown = [
        number(parts.nth(i).inner_text().split(" of the score")[0].strip(" (").replace("−", "-"))
        for i in range(parts.count())
    ]
    expected_parts = [
        first["weight"] * first["influence_factor"] * post["contribution"] for post in first["evidence"]
    ]
    assert shown == pytest.approx(expected_parts, rel=5e-3)  # each post's part of the score, not a raw number
    quiet = api_get("/v1/brands/northwind/alerts")
    assert quiet["alerts"] == []  # the demo plants no spike (its coordinated praise is praise)
    assert "No negative-sentiment spike" in page.inner_text("[data-testid=alerts]")
    assert_stayed_local(requests_seen)


def test_brand_page_lists_a_negative_spike_with_its_posts(
    page, base_url, api_get, demo_store, screenshot_dir
):
    _plant_negative_spike(demo_store, "northwind")
    try:
        answer = api_get("/v1/brands/northwind/alerts")
        (alert,) = answer["alerts"]
        assert alert["observed"] == 12
        sign_in(page, base_url, ADMIN_KEY, "#/brands/northwind")
        page.wait_for_selector("[data-testid=alert]")
        shown = page.locator("[data-testid=alert]")
        assert shown.count() == 1 and shown.first.get_attribute("data-start") == str(alert["start"])
        text = shown.first.inner_text()
        assert "12 negative posts against" in text and f"control limit {alert['upper_control_limit']}" in text
        shown.first.locator("details").click()
        assert all(post["text"] in shown.first.inner_text() for post in alert["posts"])
        page.screenshot(path=str(screenshot_dir / "console-brand.png"), full_page=True)
    finally:
        _remove_spike(demo_store)


def _pair_with_paths(api_get: Any, base_url: str) -> tuple[str, str, dict[str, Any]]:
    """Two demo profiles with trusted paths of two or more hops, found through the API."""
    candidates = [item["id"] for item in api_get("/v1/influencers", limit=40)["items"]]
    for source in candidates:
        for target in candidates:
            if source == target:
                continue
            answer = httpx.get(
                f"{base_url}/v1/trust-paths",
                params={"source": source, "target": target, "k": 3, "max_hops": 4},
                headers={"Authorization": f"Bearer {ADMIN_KEY}"},
            )
            if answer.status_code == 200 and any(p["hops"] >= 2 for p in answer.json()["paths"]):
                return source, target, answer.json()
    raise AssertionError("no pair of demo influencers is joined by a trusted path")


def test_trust_path_view_draws_each_path_with_edge_trust_and_origin(
    page, base_url, api_get, requests_seen, screenshot_dir
):
    source, target, expected = _pair_with_paths(api_get, base_url)
    sign_in(page, base_url, ADMIN_KEY, f"#/trust/{quote(source, safe='')}/{quote(target, safe='')}")
    page.wait_for_selector("[data-testid=path]")
    drawn = page.locator("[data-testid=path]")
    assert drawn.count() == len(expected["paths"])
    for index, path in enumerate(expected["paths"]):
        assert close(page.locator("[data-testid=path-trust]").nth(index).inner_text(), path["trust"])
        nodes = drawn.nth(index).locator("g.path-node")
        assert [nodes.nth(i).get_attribute("data-profile") for i in range(nodes.count())] == path["nodes"]
        named = [nodes.nth(i).locator("text").text_content() for i in range(nodes.count())]
        assert named == [
            f"@{handle}" if handle else node
            for node, handle in zip(path["nodes"], path["handles"], strict=True)
        ]
        labels = drawn.nth(index).locator("[data-testid=edge-trust]")
        origins = drawn.nth(index).locator("[data-testid=edge-origin]")
        for e, edge in enumerate(path["edges"]):
            assert close(labels.nth(e).text_content().removeprefix("trust "), edge["trust"])
            origin = origins.nth(e).text_content()
            if edge["origin"] == "rating":
                assert origin.startswith("rating: ") and origin.endswith("/10")
                assert close(origin.removeprefix("rating: ").removesuffix("/10"), edge["rating"])
            else:
                positive = edge["positive_interactions"]
                assert origin.startswith(f"implicit: {positive} positive")
                assert ("negative" in origin) == bool(edge["negative_interactions"])
    page.screenshot(path=str(screenshot_dir / "console-trust.png"), full_page=True)
    handle = api_get(f"/v1/profiles/{quote(target, safe='')}")["handle"]
    page.goto(f"{base_url}/console#/trust")  # a fresh form: nothing drawn yet
    page.wait_for_selector("[data-testid=trust-form]")
    page.fill("[data-testid=trust-form] input[name=source]", source)
    page.fill("[data-testid=trust-form] input[name=target]", f"@{handle}")  # typed as a marketer knows it
    page.click("[data-testid=trust-form] button[type=submit]")
    page.wait_for_selector("[data-testid=path]")
    assert drawn.count() == len(expected["paths"])
    assert page.evaluate("() => location.hash").endswith(quote(target, safe=""))
    assert_stayed_local(requests_seen)


def test_trust_paths_from_a_brand_start_at_its_own_accounts(page, base_url, api_get, requests_seen):
    """The marketer's question: a warm introduction from our brand. The form offers the brands as
    sources, and a brand's paths are drawn from whichever of its accounts they start at."""
    brand = api_get("/v1/brands")["items"][0]["id"]
    for item in api_get("/v1/influencers", limit=40)["items"]:
        answer = httpx.get(
            f"{base_url}/v1/trust-paths",
            params={"source": brand, "target": item["id"], "k": 3, "max_hops": 4},
            headers={"Authorization": f"Bearer {ADMIN_KEY}"},
        )
        if answer.status_code == 200 and answer.json()["paths"]:
            target, expected = item["id"], answer.json()
            break
    else:
        raise AssertionError(f"no demo influencer is reached by a trusted path from brand {brand}")
    sign_in(page, base_url, ADMIN_KEY, f"#/trust/{quote(brand, safe='')}/{quote(target, safe='')}")
    page.wait_for_selector("[data-testid=path]")
    assert page.locator(f"#source-ids option[value='{brand}']").count() == 1
    drawn = page.locator("[data-testid=path]")
    assert drawn.count() == len(expected["paths"])
    for index, path in enumerate(expected["paths"]):
        nodes = drawn.nth(index).locator("g.path-node")
        assert [nodes.nth(i).get_attribute("data-profile") for i in range(nodes.count())] == path["nodes"]
    assert_stayed_local(requests_seen)


def test_segments_preview_save_download_and_outreach_plan_with_a_write_key(
    page, base_url, api_get, requests_seen, screenshot_dir, tmp_path
):
    sign_in(page, base_url, ADMIN_KEY, "#/segments")
    page.wait_for_selector("[data-testid=saved-segments] tr[data-segment]")
    form = "[data-testid=segment-form]"
    page.select_option(f"{form} select[name=role]", "detractor")  # with any brand: the API says why not
    page.click("[data-testid=preview]")
    page.get_by_text(
        "needs a `brand`", exact=False
    ).first.wait_for()  # the reason, not "the request is invalid"
    page.select_option(f"{form} select[name=brand]", "northwind")
    page.select_option(f"{form} select[name=role]", "advocate")
    page.click("[data-testid=preview]")
    page.wait_for_selector("[data-testid=segment-preview] tr[data-profile]")
    members = api_get(f"/v1/segments/{quote(SAVED_SEGMENT, safe='')}/members", limit=20)["items"]
    rows = page.locator("[data-testid=segment-preview] tr[data-profile]")
    assert [rows.nth(i).get_attribute("data-profile") for i in range(rows.count())] == [
        m["profile_id"] for m in members
    ]

    page.fill("[data-testid=save-form] input[name=name]", SAVED_SEGMENT)  # taken: said beside the form
    page.click("[data-testid=save-segment]")
    page.get_by_test_id("save-result").get_by_text("exists", exact=False).wait_for()
    page.fill("[data-testid=save-form] input[name=name]", "console saved")
    page.click("[data-testid=save-segment]")
    page.wait_for_selector("[data-testid=saved-segments] tr[data-segment='console saved']")
    assert "Saved segment console saved" in page.inner_text("[data-testid=save-result]")
    saved = api_get("/v1/segments/console saved")
    assert {k: v for k, v in saved["filter"].items() if v is not None} == {
        "brand": "northwind",
        "role": "advocate",
    }

    with page.expect_download() as download_info:
        page.click(f"tr[data-segment='{SAVED_SEGMENT}'] [data-testid=download-csv]")
    csv_path = tmp_path / "members.csv"
    download_info.value.save_as(csv_path)
    exported = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8"))))
    everyone = httpx.get(
        f"{base_url}/v1/segments/{quote(SAVED_SEGMENT, safe='')}/members",
        params={"format": "ndjson"},
        headers={"Authorization": f"Bearer {ADMIN_KEY}"},
    ).text.splitlines()
    assert [row["profile_id"] for row in exported] == [json.loads(line)["profile_id"] for line in everyone]
    with page.expect_download() as download_info:
        page.click(f"tr[data-segment='{SAVED_SEGMENT}'] [data-testid=download-ndjson]")
    ndjson_path = tmp_path / "members.ndjson"
    download_info.value.save_as(ndjson_path)
    assert ndjson_path.read_text(encoding="utf-8").splitlines() == everyone

    page.fill("[data-testid=outreach-form] input[name=k]", "3")
    page.fill("[data-testid=outreach-form] input[name=simulations]", "200")
    page.select_option("[data-testid=outreach-form] select[name=brand]", "northwind")
    page.click("[data-testid=plan]")
    page.wait_for_selector("[data-testid=outreach-plan] tr[data-profile]", timeout=60_000)
    plan = httpx.post(
        f"{base_url}/v1/outreach/plan",
        json={"brand": "northwind", "k": 3, "model": "ic", "simulations": 200},
        headers={"Authorization": f"Bearer {ADMIN_KEY}"},
        timeout=60,
    ).json()
    rows = page.locator("[data-testid=outreach-plan] tr[data-profile]")
    assert [rows.nth(i).get_attribute("data-profile") for i in range(rows.count())] == [
        c["profile"]["id"] for c in plan["contacts"]
    ]
    for i, contact in enumerate(plan["contacts"]):
        assert close(rows.nth(i).locator("[data-testid=gain]").inner_text(), contact["marginal_gain"])
        # the independent estimate shows its mean with its interval, not an interval beside another total
        estimate = contact["cumulative_estimate"]
        shown = rows.nth(i).locator("[data-testid=estimate]").inner_text()
        mean, interval = shown.split(" (")
        low, high = interval.rstrip(")").split("–")
        assert (
            close(mean, estimate["mean"])
            and close(low, estimate["ci_low"])
            and close(high, estimate["ci_high"])
        )
    assert close(page.inner_text("[data-testid=plan-mean]"), plan["expected_spread"]["mean"])
    low, high = page.inner_text("[data-testid=plan-ci]").split("–")
    assert close(low, plan["expected_spread"]["ci_low"]) and close(high, plan["expected_spread"]["ci_high"])
    page.screenshot(path=str(screenshot_dir / "console-segments.png"), full_page=True)

    dialogs: list[str] = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.click("tr[data-segment='console saved'] [data-testid=delete-segment]")  # asked, and declined
    assert dialogs and "console saved" in dialogs[0]
    assert page.locator("tr[data-segment='console saved']").count() == 1
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("tr[data-segment='console saved'] [data-testid=delete-segment]")
    page.wait_for_selector("tr[data-segment='console saved']", state="detached")
    assert ("DELETE", f"{base_url}/v1/segments/console%20saved") in requests_seen
    assert_stayed_local(requests_seen)


def test_an_inverted_sentiment_range_is_pointed_out(page, base_url):
    sign_in(page, base_url, READ_KEY, "#/segments")
    page.wait_for_selector("[data-testid=segment-form]")
    page.fill("[data-testid=segment-form] input[name=sentiment_min]", "0.5")
    page.fill("[data-testid=segment-form] input[name=sentiment_max]", "-0.5")
    page.click("[data-testid=preview]")
    page.wait_for_selector("[data-testid=range-warning]")


def test_a_link_to_an_unknown_brand_says_so(page, base_url):
    sign_in(page, base_url, READ_KEY, "#/brands/nope")
    page.wait_for_selector("[data-testid=unknown-brand]")
    assert 'No brand "nope"' in page.inner_text("[data-testid=unknown-brand]")


def test_a_read_key_sees_every_view_but_no_write_action(page, base_url, api_get, requests_seen):
    sign_in(page, base_url, READ_KEY)
    assert page.inner_text("[data-testid=role]") == "read"
    page.wait_for_selector("body[data-map-ready='1']")
    assert page.locator("[data-testid=legend] li").count() == len(api_get("/v1/community-map")["nodes"])
    assert not page.is_visible("[data-testid=run-analysis]")

    page.goto(f"{base_url}/console#/segments")
    page.wait_for_selector("[data-testid=saved-segments] tr[data-segment]")
    assert page.is_visible("[data-testid=read-only-note]")
    assert page.locator("[data-testid=save-segment]").count() == 0
    assert page.locator("[data-testid=delete-segment]").count() == 0
    page.select_option("[data-testid=segment-form] select[name=brand]", "northwind")
    page.click("[data-testid=preview]")  # reading is allowed
    page.wait_for_selector("[data-testid=segment-preview] tr[data-profile]")
    with page.expect_download() as download_info:
        page.click(f"tr[data-segment='{SAVED_SEGMENT}'] [data-testid=download-csv]")
    assert download_info.value.failure() is None

    for view in ("influencers", "brands", "trust"):
        page.goto(f"{base_url}/console#/{view}")
        page.wait_for_selector("main#view h1")
        assert "Error" not in page.inner_text("#status")
    assert writes(requests_seen) == []
    assert_stayed_local(requests_seen)


def test_docs_and_redoc_render_offline_from_packaged_assets(page, base_url, requests_seen):
    page.goto(f"{base_url}/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Rapport" in page.inner_text(".swagger-ui .info .title")
    assert page.locator(".opblock").count() > 10  # every operation is listed
    page.goto(f"{base_url}/redoc")
    page.wait_for_selector("redoc h1, .redoc-wrap h1")
    assert "Rapport" in page.inner_text(".redoc-wrap h1")
    assert_stayed_local(requests_seen)
    assert any(url.endswith("/swagger-ui-bundle.js") for _, url in requests_seen)
    assert any(url.endswith("/redoc.standalone.js") for _, url in requests_seen)


def test_every_view_fits_a_phone_screen(page, base_url, screenshot_dir):
    """At 390 px nothing runs off the side: the header wraps (every link reachable), panels stack."""
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, base_url, READ_KEY)
    page.wait_for_selector("body[data-map-ready='1']")
    for view in ("map", "influencers", "brands", "trust", "segments"):
        page.goto(f"{base_url}/console#/{view}")
        page.wait_for_selector("main#view h1")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"#/{view} is {overflow} px wider than the screen"
        for link in page.locator("header.top nav a").all():
            box = link.bounding_box()
            assert box is not None and box["x"] + box["width"] <= 390, f"{view}: a nav link is off-screen"
    filter_cell = page.locator(
        f"tr[data-segment='{SAVED_SEGMENT}'] [data-testid=segment-filter]"
    ).inner_text()
    assert filter_cell == "brand northwind · role advocate"  # read as words, not JSON
    page.screenshot(path=str(screenshot_dir / "console-phone-segments.png"), full_page=True)
