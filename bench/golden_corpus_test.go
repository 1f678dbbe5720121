package bench

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/connapi/connapi-go/bench/internal/payload"
)

var updateCorpus = flag.Bool("update", false, "write the benchmark payloads into the models' golden corpus")

// goldenCorpusDir is where package models keeps the payloads of its golden
// corpus (models/golden_test.go) that come from the benchmarks.
const goldenCorpusDir = "../models/testdata/golden/payloads/bench"

// TestGoldenCorpusHasBenchPayloads checks that the models' golden corpus holds
// every answer the benchmark server sends (and the Create request). With -update
// it writes them:
//
//	go test ./bench -run TestGoldenCorpusHasBenchPayloads -update
//	go test ./models -run TestGolden -update
func TestGoldenCorpusHasBenchPayloads(t *testing.T) {
	t.Parallel()
	req, err := json.Marshal(payload.NewCreateRequest())
	if err != nil {
		t.Fatal(err)
	}
	last := payload.Total / 20
	for name, body := range map[string][]byte{
		"get":            payload.Get(),
		"list-page-20":   payload.ListPage(1, 20),
		"list-last-page": payload.ListPage(last, 20),
		"list-past-end":  payload.ListPage(last+1, 20),
		"create-answer":  payload.Create(),
		"create-request": req,
	} {
		sum := sha256.Sum256(body)
		file := filepath.Join(goldenCorpusDir, name+"-"+hex.EncodeToString(sum[:])[:12])
		if *updateCorpus {
			if err := os.MkdirAll(goldenCorpusDir, 0o755); err != nil { //nolint:gosec // G301: a committed test directory
				t.Fatal(err)
			}
			if err := os.WriteFile(file, body, 0o644); err != nil { //nolint:gosec // G306: a committed test file
				t.Fatal(err)
			}
			continue
		}
		if _, err := os.Stat(file); err != nil {
			t.Errorf("%s is not in the golden corpus (%v): run go test ./bench -run TestGoldenCorpusHasBenchPayloads -update, then go test ./models -run TestGolden -update", name, err)
		}
	}
}
