# Shared by the install-<tool>.sh scripts: builds one pinned Go tool into the tools dir with
# `go install`, idempotently. Source it, set the variables below, then call go_tool_install.
#   TOOL       name in messages, e.g. toxiproxy
#   MODULE     module path of the command with @version
#   BUILT      the binary `go install` makes (the command's folder name)
#   BIN        where it goes (renamed from BUILT)
#   CHECK      command that prints the version of an installed BIN (e.g. "$BIN -version")
#   PINNED     text CHECK's output holds when BIN is the pinned build
#   LDFLAGS    -X flags that make the binary report PINNED (as the tool's release build does)
#   GO_HINT    which Go version to install when Go is missing
#   TAKES      how long the first build takes, for the message
go_tool_install() {
  if [ -x "$BIN" ] && eval "$CHECK" 2>/dev/null | grep -q -- "$PINNED"; then
    return 0
  fi
  if ! command -v go >/dev/null 2>&1; then
    echo "install-$TOOL: Go is needed to build $MODULE. Install $GO_HINT and run again." >&2
    exit 3
  fi
  local dir
  dir="$(dirname "$BIN")"
  echo "install-$TOOL: building $MODULE into $dir ($TAKES the first time)..." >&2
  mkdir -p "$dir"
  tmp="$(mktemp -d "$dir/.$TOOL.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  CGO_ENABLED=0 GOBIN="$tmp" go install -trimpath -ldflags "-s -w $LDFLAGS" "$MODULE"
  mv -f "$tmp/$BUILT" "$BIN"
  eval "$CHECK" >&2
}
