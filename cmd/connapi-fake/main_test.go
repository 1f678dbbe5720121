package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRefusesPublicAddress(t *testing.T) {
	t.Parallel()
	for _, addr := range []string{":0", "0.0.0.0:0"} {
		err := run(context.Background(), []string{"-addr", addr}, io.Discard, io.Discard)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "-public")
	}
}

func TestServesAndStops(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-seed", "2", "-token", "tok"}, pw, io.Discard)
		_ = pw.Close() // an io.PipeWriter's Close never fails
	}()
	sc := bufio.NewScanner(pr)
	require.True(t, sc.Scan())
	root, ok := strings.CutPrefix(sc.Text(), "connapi-fake listening on ")
	require.True(t, ok, sc.Text())
	var banner []string
	for sc.Scan() && !strings.Contains(sc.Text(), "auth/v1/token") {
		banner = append(banner, sc.Text())
	}
	assert.Contains(t, strings.Join(banner, "\n"), root+"/api/v1/")
	assert.Contains(t, strings.Join(banner, "\n"), "Bearer tok")

	req, _ := http.NewRequestWithContext(t.Context(), "GET", root+"/v0/core/connection", nil)
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(b), "conn_00000002")

	cancel()
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	require.NoError(t, <-done)
}
