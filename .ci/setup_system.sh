#!/bin/sh
# System packages the tests use: a real Secret Service keyring (gnome-keyring on a
# private D-Bus session) and tmux for the as-a-person check. Installed only when
# missing and when we may (root with apt-get, as on CI); otherwise those tests skip.
need=""
command -v gnome-keyring-daemon >/dev/null 2>&1 || need="$need gnome-keyring"
command -v dbus-run-session >/dev/null 2>&1 || need="$need dbus dbus-bin"
command -v tmux >/dev/null 2>&1 || need="$need tmux"
[ -z "$need" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "tests: installing$need"
  apt-get update -qq >/dev/null 2>&1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null 2>&1 \
    || echo "tests: could not install$need; the tests that need them will skip"
else
  echo "tests: missing$need (not root with apt-get); the tests that need them will skip"
fi
exit 0
