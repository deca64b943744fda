// The k6 that loadctl runs: stock k6 at the version pinned in go.mod, plus one output extension
// (./output, `--out loadctl=<pipe>`) that aggregates samples inside k6 and hands loadctl a compact
// record per second instead of one CSV row per sample. Built by scripts/install-k6.sh.
package main

import (
	k6cmd "go.k6.io/k6/v2/cmd"

	_ "loadctl/k6build/output"
)

func main() {
	k6cmd.Execute()
}
