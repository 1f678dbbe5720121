package jsonenc

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// randomString mixes plain ASCII with every kind of byte AppendString escapes:
// quotes, backslashes, control bytes, DEL, "<>&", U+2028/9, other multi-byte
// runes, and invalid UTF-8.
func randomString(rng *rand.Rand) string {
	pieces := []string{"a", "Z", "0", " ", "\"", "\\", "/", "<", ">", "&", "\x00", "\x01", "\b", "\f", "\n", "\r", "\t", "\x1f", "\x7f",
		"é", "€", "\u2028", "\u2029", "\U0001F600", "\xff", "\xc3", "\xe2\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80"}
	var sb strings.Builder
	for range rng.IntN(10) {
		sb.WriteString(pieces[rng.IntN(len(pieces))])
	}
	return sb.String()
}

func randomFloat(rng *rand.Rand) float64 {
	switch rng.IntN(6) {
	case 0:
		return math.Float64frombits(rng.Uint64()) // any bits: NaN and infinities included
	case 1:
		return float64(rng.IntN(2001) - 1000)
	case 2:
		return rng.Float64() * math.Pow(10, float64(rng.IntN(60)-30))
	case 3:
		return []float64{0, math.Copysign(0, -1), 1e-6, 9.99999e-7, 1e21, 1e20, 123456789012345678901, 5e-324, math.MaxFloat64, math.NaN(), math.Inf(-1)}[rng.IntN(11)]
	case 4:
		return -rng.Float64() * 1e-8
	}
	return rng.NormFloat64()
}

func randomValue(rng *rand.Rand, depth int) any {
	n := 12
	if depth <= 0 {
		n = 9
	}
	switch rng.IntN(n) {
	case 0:
		return nil
	case 1:
		return randomString(rng)
	case 2:
		return rng.IntN(2) == 0
	case 3:
		return randomFloat(rng)
	case 4:
		return rng.IntN(1000) - 500
	case 5:
		return int64(rng.Uint64())
	case 6:
		return rng.Uint64()
	case 7:
		return []string{randomString(rng), randomString(rng)}[:rng.IntN(3)]
	case 8: // left to the encoder
		return []any{time.Unix(int64(rng.IntN(1e9)), 0).UTC(), json.Number("12.5"), float32(1.5), []byte("b"), int8(-3), struct{ A string }{"<a>"}}[rng.IntN(6)]
	case 9:
		m := map[string]any{}
		for range rng.IntN(5) {
			m[randomString(rng)] = randomValue(rng, depth-1)
		}
		if rng.IntN(8) == 0 {
			m = nil
		}
		return m
	case 10:
		var s []any
		if rng.IntN(8) > 0 {
			s = []any{}
		}
		for range rng.IntN(4) {
			s = append(s, randomValue(rng, depth-1))
		}
		return s
	}
	return int32(rng.IntN(100))
}

// TestAppendMatchesMarshal: AppendValue writes exactly what Marshal writes, and
// fails where Marshal fails, over random values.
func TestAppendMatchesMarshal(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	failures := 0
	for range 30000 {
		v := randomValue(rng, 3)
		want, wantErr := Marshal(v)
		got, err := AppendValue([]byte("x"), v)
		if wantErr != nil {
			failures++
			if err == nil {
				t.Fatalf("AppendValue(%#v) = %s, want an error (%v)", v, got, wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("AppendValue(%#v): %v", v, err)
		}
		if string(got[1:]) != string(want) || got[0] != 'x' {
			t.Fatalf("AppendValue(%#v)\n got %s\nwant x%s", v, got, want)
		}
	}
	if failures == 0 {
		t.Fatal("no value Marshal refuses came up")
	}
}

// TestAppendStringEveryRune: every byte, and every rune of the BMP and beyond,
// alone and in text.
func TestAppendStringEveryRune(t *testing.T) {
	check := func(s string) {
		t.Helper()
		want, err := Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := AppendString(nil, s); string(got) != string(want) {
			t.Fatalf("AppendString(%q) = %s, want %s", s, got, want)
		}
	}
	for b := range 256 {
		check(string([]byte{byte(b)}))
		check("a" + string([]byte{byte(b)}) + "z")
	}
	for r := rune(0); r <= utf8.MaxRune; r += 7 {
		check("x" + string(r) + "y")
	}
	check("\u2028\u2029")
}

func BenchmarkAppendValue(b *testing.B) {
	v := map[string]any{"username": "svc-pipeshub@example.com", "apiToken": "bench-api-token",
		"space_keys": map[string]any{"operator": "in", "value": []any{"ENG", "OPS"}, "type": "list"}}
	b.Run("append", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			buf, _ = AppendValue(buf[:0], v)
		}
	})
	b.Run("marshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = Marshal(v)
		}
	})
}

// A map or slice that holds itself is refused with Marshal's error, as
// encoding/json refuses it, instead of recursing until the goroutine's stack
// overflows (a fatal error no recover stops, taking the caller's process down).
func TestAppendValueRefusesCycles(t *testing.T) {
	m := map[string]any{"a": 1}
	m["self"] = m
	s := []any{1}
	s[0] = s
	deep := map[string]any{}
	for cur, i := deep, 0; i < 5000; i++ { // deep but finite: encoded as Marshal does
		next := map[string]any{}
		cur["n"] = next
		cur = next
	}
	for name, v := range map[string]any{"map": m, "slice": s, "map in slice": []any{m}} {
		_, err := AppendValue(nil, v)
		var unsupported *json.UnsupportedValueError
		if !errors.As(err, &unsupported) {
			t.Errorf("%s: err = %v, want a *json.UnsupportedValueError", name, err)
		}
	}
	got, err := AppendValue(nil, deep)
	if err != nil {
		t.Fatal(err)
	}
	want, err := json.Marshal(deep)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Error("a deep, finite map is not encoded as Marshal encodes it")
	}
}
