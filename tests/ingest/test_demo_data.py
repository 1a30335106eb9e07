"""The generated demo world reads as a real one: nothing happens to a post before it was written."""

from __future__ import annotations

from datetime import datetime

from ingest.demo import demo_events


def test_replies_likes_and_shares_come_after_their_post() -> None:
    events = list(demo_events())
    written = {e["id"]: datetime.fromisoformat(e["created_at"]) for e in events if e["kind"] == "post"}
    replies = [e for e in events if e["kind"] == "post" and e.get("reply_to")]
    reactions = [e for e in events if e["kind"] in ("like", "share")]
    assert len(replies) > 100 and len(reactions) > 100  # the demo's threads and reactions are there
    late = [e["id"] for e in replies if datetime.fromisoformat(e["created_at"]) < written[e["reply_to"]]]
    assert late == []  # a thread reads in order (analyst.conversation_thread)
    early = [
        (e["profile"], e["post"]) for e in reactions if datetime.fromisoformat(e["at"]) < written[e["post"]]
    ]
    assert early == []
