"""Write a conversation of N messages into the store (for the big-history benchmark).

Prints the conversation id. Uses the store llmtui would open (XDG_DATA_HOME / LLMTUI_DB).
"""

import argparse

from llmtui.core.store import Store


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=5000)
    a = ap.parse_args()
    store = Store()
    cid = store.new_conversation(["demo/simulated"], title="big history")
    insert = ("INSERT INTO messages (conversation_id, role, content, model, status, created_at, parent_id) "
              "VALUES (?, ?, ?, 'demo/simulated', 'done', ?, ?)")
    with store.tx() as db:
        for i in range(a.messages // 2):
            last = i == a.messages // 2 - 1
            user = db.execute(insert, (cid, "user", f"question {i}: how does part {i} work?", 2.0 * i, None))
            answer = ("The end. LAST-MESSAGE-MARK" if last else
                      f"## Answer {i}\n\nPart {i} works like this:\n\n- point one\n- point **two**\n\n"
                      "```python\nprint('hello')\n```\n")
            db.execute(insert, (cid, "assistant", answer, 2.0 * i + 1, user.lastrowid))
    print(cid)


if __name__ == "__main__":
    main()
