"""Write a conversation of N messages into the store (for the big-history benchmark).

Prints the conversation id. Uses the store llmtui would open (XDG_DATA_HOME / LLMTUI_DB).
"""

import argparse

from llmtui.store import Store


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=5000)
    a = ap.parse_args()
    store = Store()
    cid = store.new_conversation(["demo/simulated"], title="big history")
    with store.tx() as db:
        for i in range(a.messages - 1):
            role = "user" if i % 2 == 0 else "assistant"
            body = (f"question {i}: how does part {i} work?" if role == "user" else
                    f"## Answer {i}\n\nPart {i} works like this:\n\n- point one\n- point **two**\n\n"
                    "```python\nprint('hello')\n```\n")
            db.execute(
                "INSERT INTO messages (conversation_id, role, content, model, status, created_at) "
                "VALUES (?, ?, ?, 'demo/simulated', 'done', ?)", (cid, role, body, float(i)))
        db.execute(
            "INSERT INTO messages (conversation_id, role, content, model, status, created_at) "
            "VALUES (?, 'assistant', 'The end. LAST-MESSAGE-MARK', 'demo/simulated', 'done', ?)",
            (cid, float(a.messages)))
    print(cid)


if __name__ == "__main__":
    main()
