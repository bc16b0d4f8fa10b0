"""Write a conversation of N messages into the store (for the big-history benchmark).

Prints the conversation id. Uses the store llmtui would open (XDG_DATA_HOME / LLMTUI_DB).
"""

import argparse
import time

from llmtui.core.store import Store


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=5000)
    a = ap.parse_args()
    store = Store()
    messages = []
    for i in range(a.messages // 2):
        last = i == a.messages // 2 - 1
        answer = ("The end. LAST-MESSAGE-MARK" if last else
                  f"## Answer {i}\n\nPart {i} works like this:\n\n- point one\n- point **two**\n\n"
                  "```python\nprint('hello')\n```\n")
        messages += [
            {"key": 2 * i, "role": "user", "content": f"question {i}: how does part {i} work?",
             "model": "demo/simulated", "status": "done", "created_at": 2.0 * i},
            {"key": 2 * i + 1, "parent_key": 2 * i, "role": "assistant", "content": answer,
             "model": "demo/simulated", "status": "done", "created_at": 2.0 * i + 1},
        ]
    # One transaction, as llmtui's own import stores a conversation.
    now = time.time()
    header = {"title": "big history", "models": ["demo/simulated"], "created_at": now,
              "updated_at": now}
    print(store.import_conversation(header, messages))


if __name__ == "__main__":
    main()
