"""The store's schema: each version's SQL, applied in order by `Database._migrate` (one
transaction per version, `PRAGMA user_version` after it). A new version appends here.

One file because the versions are one history, read top to bottom: each upgrades the tables
the ones above it made.
"""

from __future__ import annotations

import sqlite3

SCHEMA_VERSION = 14

_SCHEMA_V1 = """
CREATE TABLE IF NOT EXISTS conversations (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    mode TEXT NOT NULL DEFAULT 'chat',          -- chat | compare
    models TEXT NOT NULL DEFAULT '[]',          -- JSON list of model refs, one per lane
    blind INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    lane INTEGER NOT NULL DEFAULT 0,            -- compare column; 0 in a plain chat
    parent_id INTEGER,                          -- the prompt an answer replies to; branches
    role TEXT NOT NULL,                         -- user | assistant
    content TEXT NOT NULL DEFAULT '',
    model TEXT,
    status TEXT NOT NULL DEFAULT 'done',        -- done | streaming | interrupted | error
    created_at REAL NOT NULL,
    input_tokens INTEGER,
    output_tokens INTEGER,
    cached_input_tokens INTEGER,
    cache_write_tokens INTEGER,
    usage_estimated INTEGER NOT NULL DEFAULT 0,
    cost_usd TEXT,                              -- Decimal as text; NULL = unknown
    cost_estimated INTEGER NOT NULL DEFAULT 0,
    cost_note TEXT,
    ttft_s REAL,
    duration_s REAL,
    finish_reason TEXT,
    error_kind TEXT,
    error_message TEXT,
    served_by TEXT,
    usage_raw TEXT
);
CREATE INDEX IF NOT EXISTS messages_conv ON messages(conversation_id, id);
CREATE INDEX IF NOT EXISTS messages_time ON messages(created_at);
CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5(
    content, content='messages', content_rowid='id', tokenize='unicode61'
);
CREATE TRIGGER IF NOT EXISTS messages_ai AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
END;
CREATE TRIGGER IF NOT EXISTS messages_ad AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
END;
CREATE TRIGGER IF NOT EXISTS messages_au AFTER UPDATE OF content ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
    INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
END;
CREATE TABLE IF NOT EXISTS votes (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    prompt_id INTEGER,
    winner TEXT,                                -- model ref; NULL for a tie
    loser TEXT,
    models TEXT NOT NULL,                       -- JSON list of the two refs
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS model_cache (
    provider TEXT PRIMARY KEY,
    fetched_at REAL NOT NULL,
    payload TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rate_limits (
    provider TEXT PRIMARY KEY,
    updated_at REAL NOT NULL,
    payload TEXT NOT NULL
);
"""

# v2: a conversation remembers its system prompt; spend queries by model and day stay fast.
_SCHEMA_V2 = """
ALTER TABLE conversations ADD COLUMN system TEXT;
CREATE INDEX IF NOT EXISTS messages_model_time ON messages(model, created_at);
"""

# v3: the arena (arena.py). A compare run (`llmtui compare`) has an id and items
# (one per prompt and repeat); a vote records which model sat on side A and which on side B,
# the choice, whether names were hidden, and the two answers judged. Votes from before v3 keep
# NULL sides and choice (read from `models`/`winner`) and blind = 0: their sides were never drawn.
_SCHEMA_V3 = """
CREATE TABLE IF NOT EXISTS compare_runs (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    models TEXT NOT NULL,                       -- JSON list of model refs, one per lane
    repeats INTEGER NOT NULL DEFAULT 1,         -- --runs N
    prompt_set TEXT,                            -- the prompts file's name; NULL for one prompt
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS compare_items (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES compare_runs(id) ON DELETE CASCADE,
    prompt_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    item TEXT NOT NULL,                         -- the prompt's id in its set
    repeat INTEGER NOT NULL DEFAULT 1,
    system TEXT
);
CREATE INDEX IF NOT EXISTS compare_items_run ON compare_items(run_id, id);
ALTER TABLE votes ADD COLUMN side_a TEXT;
ALTER TABLE votes ADD COLUMN side_b TEXT;
ALTER TABLE votes ADD COLUMN choice TEXT;       -- a | b | tie | both_bad
ALTER TABLE votes ADD COLUMN blind INTEGER NOT NULL DEFAULT 0;
ALTER TABLE votes ADD COLUMN run_id INTEGER REFERENCES compare_runs(id) ON DELETE SET NULL;
ALTER TABLE votes ADD COLUMN answer_a INTEGER;
ALTER TABLE votes ADD COLUMN answer_b INTEGER;
"""

# v4: a reasoning model's thinking, kept apart from the answer, and its honest timings
# (llmtui.core.timing): answer TTFT, thinking time, reasoning tokens (reported or estimated).
_SCHEMA_V4 = """
ALTER TABLE messages ADD COLUMN reasoning TEXT;
ALTER TABLE messages ADD COLUMN answer_ttft_s REAL;
ALTER TABLE messages ADD COLUMN thinking_s REAL;
ALTER TABLE messages ADD COLUMN reasoning_tokens INTEGER;
ALTER TABLE messages ADD COLUMN reasoning_estimated INTEGER NOT NULL DEFAULT 0;
"""

# v5: an answer (and its thinking) streams into message_parts, one row per flush, so saving
# costs O(new text) however long the answer grows (rewriting `content` re-indexed the whole
# text each time). The whole text and its search entry are written once: when the answer
# finishes or, after a crash, when the store is next opened. The partial index lets that
# recovery skip every other row.
_SCHEMA_V5 = """
CREATE TABLE IF NOT EXISTS message_parts (
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    seq INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (message_id, kind, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS messages_streaming ON messages(status) WHERE status = 'streaming';
"""

# v6: the preset (persona) a conversation was started with, by name.
_SCHEMA_V6 = """
ALTER TABLE conversations ADD COLUMN preset TEXT;
"""

# v7: attachments (attachments.py), each stored once by its sha256 and linked to the
# messages that carry it; never base64 in a message's text or the search index.
_SCHEMA_V7 = """
CREATE TABLE IF NOT EXISTS attachments (
    sha256 TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    data BLOB NOT NULL,
    created_at REAL NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS message_attachments (
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    sha256 TEXT NOT NULL REFERENCES attachments(sha256),
    name TEXT NOT NULL,
    PRIMARY KEY (message_id, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS message_attachments_sha ON message_attachments(sha256);
"""

# v8: the spend ledger (llmtui.core.ledger): one charge per request that left the machine,
# apart from history (conversation_id/message_id are plain numbers: deleting a conversation
# keeps its charges). Spend recorded on messages before v8 moves in as settled charges;
# answers that failed before any output were never billed and imported ones never sent.
_SCHEMA_V8 = """
CREATE TABLE IF NOT EXISTS ledger (
    id INTEGER PRIMARY KEY,
    created_at REAL NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,                        -- the full ref, provider/model
    conversation_id INTEGER,                    -- NOT a foreign key: history may go, spend stays
    message_id INTEGER,
    state TEXT NOT NULL,                        -- reserved | settled | lost
    reserved_usd TEXT,                          -- worst case held before sending; NULL = unknown
    cost_usd TEXT,                              -- Decimal as text; NULL = unknown
    cost_source TEXT,                           -- provider | computed | estimate
    input_tokens INTEGER,
    output_tokens INTEGER,
    cached_input_tokens INTEGER,
    cache_write_tokens INTEGER,
    reasoning_tokens INTEGER,
    max_output_tokens INTEGER,
    served_by TEXT,
    cache_saving_usd TEXT,                      -- what cached input saved against the input rate
    pid INTEGER,                                -- the process that reserved it
    settled_at REAL,
    note TEXT
);
CREATE INDEX IF NOT EXISTS ledger_time ON ledger(created_at);
CREATE INDEX IF NOT EXISTS ledger_provider_time ON ledger(provider, created_at);
CREATE INDEX IF NOT EXISTS ledger_state ON ledger(state);
INSERT INTO ledger (created_at, provider, model, conversation_id, message_id, state, cost_usd,
                    cost_source, input_tokens, output_tokens, cached_input_tokens,
                    cache_write_tokens, served_by, settled_at, note)
    SELECT created_at, substr(model, 1, instr(model, '/') - 1), model, conversation_id, id,
           'settled', cost_usd, CASE WHEN cost_estimated THEN 'estimate' ELSE 'computed' END,
           input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, served_by,
           created_at, 'from history (before the ledger)'
    FROM messages
    WHERE role = 'assistant' AND instr(COALESCE(model, ''), '/') > 1
      AND NOT (status = 'error' AND content = '')
      AND COALESCE(cost_note, '') NOT LIKE 'imported%';
"""

# v9: how hard an answer was asked to think (core/reasoning_choice.py): the effort level or the
# thinking budget sent with it, NULL for the model's default.
_SCHEMA_V9 = """
ALTER TABLE messages ADD COLUMN reasoning_effort TEXT;
ALTER TABLE messages ADD COLUMN thinking_budget INTEGER;
"""

# v10: the sampling parameters each answer was sent with (llmtui.core.sampling, JSON; NULL: none
# set), so a reopened conversation and an export show them.
_SCHEMA_V10 = """
ALTER TABLE messages ADD COLUMN params TEXT;
"""

# Each AUTOINCREMENT table's counter past every id its rows, the ledger and votes name (the
# ledger and votes outlive the rows they point at). Schema v11 runs it; so does a salvage
# (salvage.py), whose new store must not hand out an id the old one gave.
IDS_PAST_REFERENCES = """
INSERT INTO sqlite_sequence (name, seq)
    SELECT name, 0 FROM (SELECT 'conversations' AS name UNION ALL SELECT 'messages'
                         UNION ALL SELECT 'compare_runs')
    WHERE name NOT IN (SELECT name FROM sqlite_sequence);
UPDATE sqlite_sequence SET seq = max(seq,
    coalesce((SELECT max(id) FROM conversations), 0),
    coalesce((SELECT max(conversation_id) FROM ledger), 0),
    coalesce((SELECT max(conversation_id) FROM votes), 0)) WHERE name = 'conversations';
UPDATE sqlite_sequence SET seq = max(seq,
    coalesce((SELECT max(id) FROM messages), 0),
    coalesce((SELECT max(message_id) FROM ledger), 0),
    coalesce((SELECT max(max(coalesce(answer_a, 0), coalesce(answer_b, 0), coalesce(prompt_id, 0)))
              FROM votes), 0)) WHERE name = 'messages';
UPDATE sqlite_sequence SET seq = max(seq,
    coalesce((SELECT max(id) FROM compare_runs), 0),
    coalesce((SELECT max(run_id) FROM votes), 0)) WHERE name = 'compare_runs';
"""

# v11: ids are never given out twice. Without AUTOINCREMENT SQLite hands out the largest id + 1,
# so deleting the newest conversation gave its id to the next one: its charges in the ledger
# (kept apart from history) were counted as the new one's, and a TUI still holding it wrote
# into the new one. Conversations, messages and compare runs are rebuilt with AUTOINCREMENT
# (same rows, same ids; the search index keys on message ids, so it stays valid), and each
# sequence starts past every id the ledger and votes still name. A conversation's models and
# mode catch up with its turns (the conversation's list kept only the models it began with):
# every model that answered in it, and "mixed" when it had both one-model and compare turns.
# Rebuilding a table that others reference needs foreign keys off (REBUILDS: _migrate does it).
_SCHEMA_V11 = """
CREATE TABLE conversations_v11 (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL DEFAULT '',
    mode TEXT NOT NULL DEFAULT 'chat',          -- chat | compare | mixed
    models TEXT NOT NULL DEFAULT '[]',          -- JSON list of model refs, first used first
    blind INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    system TEXT,
    preset TEXT
);
INSERT INTO conversations_v11 (id, title, mode, models, blind, created_at, updated_at, system, preset)
    SELECT id, title, mode, models, blind, created_at, updated_at, system, preset FROM conversations;
DROP TABLE conversations;
ALTER TABLE conversations_v11 RENAME TO conversations;
CREATE TABLE messages_v11 (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    lane INTEGER NOT NULL DEFAULT 0,
    parent_id INTEGER,
    role TEXT NOT NULL,
    content TEXT NOT NULL DEFAULT '',
    model TEXT,
    status TEXT NOT NULL DEFAULT 'done',
    created_at REAL NOT NULL,
    input_tokens INTEGER,
    output_tokens INTEGER,
    cached_input_tokens INTEGER,
    cache_write_tokens INTEGER,
    usage_estimated INTEGER NOT NULL DEFAULT 0,
    cost_usd TEXT,
    cost_estimated INTEGER NOT NULL DEFAULT 0,
    cost_note TEXT,
    ttft_s REAL,
    duration_s REAL,
    finish_reason TEXT,
    error_kind TEXT,
    error_message TEXT,
    served_by TEXT,
    usage_raw TEXT,
    reasoning TEXT,
    answer_ttft_s REAL,
    thinking_s REAL,
    reasoning_tokens INTEGER,
    reasoning_estimated INTEGER NOT NULL DEFAULT 0,
    reasoning_effort TEXT,
    thinking_budget INTEGER,
    params TEXT
);
INSERT INTO messages_v11 SELECT id, conversation_id, lane, parent_id, role, content, model, status,
    created_at, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens,
    usage_estimated, cost_usd, cost_estimated, cost_note, ttft_s, duration_s, finish_reason,
    error_kind, error_message, served_by, usage_raw, reasoning, answer_ttft_s, thinking_s,
    reasoning_tokens, reasoning_estimated, reasoning_effort, thinking_budget, params FROM messages;
DROP TABLE messages;
ALTER TABLE messages_v11 RENAME TO messages;
CREATE INDEX messages_conv ON messages(conversation_id, id);
CREATE INDEX messages_time ON messages(created_at);
CREATE INDEX messages_model_time ON messages(model, created_at);
CREATE INDEX messages_streaming ON messages(status) WHERE status = 'streaming';
CREATE TRIGGER messages_ai AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
END;
CREATE TRIGGER messages_ad AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
END;
CREATE TRIGGER messages_au AFTER UPDATE OF content ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
    INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
END;
CREATE TABLE compare_runs_v11 (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    models TEXT NOT NULL,
    repeats INTEGER NOT NULL DEFAULT 1,
    prompt_set TEXT,
    created_at REAL NOT NULL
);
INSERT INTO compare_runs_v11 (id, conversation_id, models, repeats, prompt_set, created_at)
    SELECT id, conversation_id, models, repeats, prompt_set, created_at FROM compare_runs;
DROP TABLE compare_runs;
ALTER TABLE compare_runs_v11 RENAME TO compare_runs;
""" + IDS_PAST_REFERENCES + """
UPDATE conversations SET models = (
    SELECT json_group_array(model) FROM (
        SELECT value AS model, 0 AS late, CAST(key AS INTEGER) AS seq
            FROM json_each(conversations.models)
        UNION ALL
        SELECT model, 1, min(id) FROM messages
            WHERE conversation_id = conversations.id AND role = 'assistant' AND model IS NOT NULL
              AND model NOT IN (SELECT value FROM json_each(conversations.models))
            GROUP BY model
        ORDER BY late, seq))
    WHERE blind = 0 AND json_valid(models);
WITH lanes AS (
    SELECT conversation_id AS cid, count(DISTINCT lane) AS n FROM messages
        WHERE role = 'assistant' AND parent_id IS NOT NULL GROUP BY conversation_id, parent_id)
UPDATE conversations SET mode = 'mixed' WHERE mode IN ('chat', 'compare') AND id IN (
    SELECT cid FROM lanes GROUP BY cid HAVING min(n) = 1 AND max(n) > 1);
"""

# v12: a long streamed answer keeps its text where it streamed to, in its parts, and each part
# is indexed for search as it lands (parts_fts), so finishing one costs O(its last piece), not
# a second copy of the whole text plus its index (parts.py says when the parts stay). Parts
# get a rowid for the index, whose content is the text parts (text_parts): reasoning parts are
# not indexed, as `reasoning` never was.
_SCHEMA_V12 = """
DROP TABLE IF EXISTS parts_fts;
DROP VIEW IF EXISTS text_parts;
CREATE TABLE message_parts_v12 (
    id INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,                         -- text | reasoning
    seq INTEGER NOT NULL,
    chars INTEGER NOT NULL DEFAULT -1,          -- length(text), kept so no sum reads the text
    text TEXT NOT NULL,
    UNIQUE (message_id, kind, seq)
);
INSERT INTO message_parts_v12 (message_id, kind, seq, chars, text)
    SELECT message_id, kind, seq, length(text), text FROM message_parts
    WHERE message_id IN (SELECT id FROM messages)       -- a salvaged file may hold orphans
    ORDER BY message_id, kind, seq;
DROP TABLE message_parts;
ALTER TABLE message_parts_v12 RENAME TO message_parts;
CREATE VIEW IF NOT EXISTS text_parts AS SELECT id, text FROM message_parts WHERE kind = 'text';
CREATE VIRTUAL TABLE IF NOT EXISTS parts_fts USING fts5(
    text, content='text_parts', content_rowid='id', tokenize='unicode61'
);
INSERT INTO parts_fts(rowid, text) SELECT id, text FROM message_parts WHERE kind = 'text';
CREATE TRIGGER IF NOT EXISTS message_parts_ai AFTER INSERT ON message_parts WHEN new.kind = 'text' BEGIN
    INSERT INTO parts_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER IF NOT EXISTS message_parts_ad AFTER DELETE ON message_parts WHEN old.kind = 'text' BEGIN
    INSERT INTO parts_fts(parts_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER IF NOT EXISTS message_parts_au AFTER UPDATE OF text ON message_parts
WHEN old.kind = 'text' BEGIN
    INSERT INTO parts_fts(parts_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO parts_fts(rowid, text) VALUES (new.id, new.text);
END;
"""

# v13: an answer whose thinking the provider redacted in part (Anthropic `redacted_thinking`,
# Bedrock `redactedContent`) says so when reopened or exported.
_SCHEMA_V13 = """
ALTER TABLE messages ADD COLUMN reasoning_redacted INTEGER NOT NULL DEFAULT 0;
"""

# v14: a streaming answer names the lock file of the process that streams it (store/writers.py),
# so an open marks it interrupted only when that process is gone, not while another llmtui
# still streams it. NULL (rows from before, or no fcntl): taken as crashed, as before.
_SCHEMA_V14 = """
ALTER TABLE messages ADD COLUMN writer TEXT;
"""

# version -> SQL that upgrades the store from version-1 to version, in one transaction.
MIGRATIONS: dict[int, str] = {
    1: _SCHEMA_V1, 2: _SCHEMA_V2, 3: _SCHEMA_V3, 4: _SCHEMA_V4, 5: _SCHEMA_V5, 6: _SCHEMA_V6,
    7: _SCHEMA_V7, 8: _SCHEMA_V8, 9: _SCHEMA_V9, 10: _SCHEMA_V10, 11: _SCHEMA_V11,
    12: _SCHEMA_V12, 13: _SCHEMA_V13, 14: _SCHEMA_V14,
}
REBUILDS = frozenset({11})
"""Versions that rebuild a table other tables reference: run with foreign keys off (with them
on, dropping the old table would delete the rows that reference it)."""


def split_sql(script: str) -> list[str]:
    """Statements of a schema script; triggers hold `;` inside BEGIN ... END."""
    out: list[str] = []
    current: list[str] = []
    for line in script.splitlines():
        stripped = line.split("--", 1)[0].rstrip()
        if not stripped.strip():
            continue
        current.append(stripped)
        joined = "\n".join(current)
        if stripped.endswith(";") and sqlite3.complete_statement(joined):
            out.append(joined)
            current = []
    if current:
        out.append("\n".join(current))
    return out
