package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/connapi/connapi-go/cmd/connapi/internal/cli"
)

// TestEveryCommandHasAScript fails when a command of `connapi` appears in no
// script of testdata/script: every command is run end to end at least once.
func TestEveryCommandHasAScript(t *testing.T) {
	t.Parallel()
	var scripts strings.Builder
	files, err := filepath.Glob(filepath.Join("testdata", "script", "*.txtar"))
	require.NoError(t, err)
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		scripts.Write(b)
	}
	var out bytes.Buffer
	paths := cli.CommandPaths()
	require.NotEmpty(t, paths)
	for _, p := range paths {
		words := strings.Fields(p)[1:] // without "connapi"
		// In a script: "connapi [flags…] word1 word2 …", flags such as --fake may
		// stand before the command.
		re := regexp.MustCompile(`(?m)^!? *connapi( --?\S+)* ` + regexp.QuoteMeta(strings.Join(words, " ")) + `( |$)`)
		if !re.MatchString(scripts.String()) {
			out.WriteString("  " + p + "\n")
		}
	}
	if out.Len() > 0 {
		t.Errorf("commands no script runs:\n%s", out.String())
	}
}
