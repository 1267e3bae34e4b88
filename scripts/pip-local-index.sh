# Sourced by scripts/setup.sh and bench/setup-peers.sh (bash).
# pip's default index is unreachable on the offline machines and pip retries it per package for
# minutes; when pip is configured with local file:// indexes, make them the only ones for this
# shell. A user's own PIP_INDEX_URL, or a machine with no local index, is left alone.
if [ -z "${PIP_INDEX_URL:-}" ] && command -v python3 >/dev/null; then
  _divlab_extra="$(python3 -m pip config get global.extra-index-url 2>/dev/null || true)"
  _divlab_locals=()
  for _u in $_divlab_extra; do case "$_u" in file://*) [ -d "${_u#file://}" ] && _divlab_locals+=("$_u");; esac; done
  if [ "${#_divlab_locals[@]}" -gt 0 ]; then
    export PIP_INDEX_URL="${_divlab_locals[0]}"
    # An empty PIP_EXTRA_INDEX_URL would fall back to the config file's list (with any missing or
    # remote entries): name the existing local indexes again instead (duplicates are harmless).
    export PIP_EXTRA_INDEX_URL="${_divlab_locals[*]}"
    printf '[pip] using local index %s only\n' "$PIP_INDEX_URL" >&2
  fi
  unset _divlab_extra _divlab_locals _u
fi
export PIP_DISABLE_PIP_VERSION_CHECK=1
