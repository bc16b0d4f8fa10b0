#!/bin/sh
# Run a command inside a private D-Bus session with an unlocked gnome-keyring, so the
# keyring tests go through a real Secret Service backend. The daemon keeps its files in
# a throwaway HOME; the unlock password must not be empty. Without the tools, run as is.
if command -v dbus-run-session >/dev/null 2>&1 && command -v gnome-keyring-daemon >/dev/null 2>&1; then
  LLMTUI_KEYRING_HOME=$(mktemp -d)
  export LLMTUI_KEYRING_HOME
  exec dbus-run-session -- sh -c '
    HOME="$LLMTUI_KEYRING_HOME" XDG_DATA_HOME="$LLMTUI_KEYRING_HOME/data" \
      sh -c "printf ci | gnome-keyring-daemon --unlock --components=secrets" >/dev/null 2>&1
    LLMTUI_REAL_KEYRING=1 exec "$@"' sh "$@"
fi
exec "$@"
