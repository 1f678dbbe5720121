package pagination

import (
	"context"
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"testing"
	"time"
	"weak"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sample is a value of many kinds, unexported fields included.
type sample struct {
	S      string
	I      int
	U      uint8
	F      float64
	B      bool
	P      *sample
	L      []string
	M      map[string]any
	A      [2]int16
	X      any
	T      time.Time
	Raw    []byte
	hidden string
	c      complex64
	m      map[string][]int
}

// randomSample returns a value built from a small set of choices, so that equal
// values come up often.
func randomSample(rng *rand.Rand, depth int) *sample {
	pick := func(n int) int { return rng.IntN(n) }
	s := &sample{
		S:      []string{"", "a", "b", "ab"}[pick(4)],
		I:      pick(3) - 1,
		U:      uint8(pick(2)),
		F:      []float64{0, math.Copysign(0, -1), 1.5, -2}[pick(4)],
		B:      pick(2) == 0,
		A:      [2]int16{int16(pick(2)), int16(pick(2))},
		hidden: []string{"", "h"}[pick(2)],
		c:      complex(float32(pick(2)), 0),
	}
	if pick(2) == 0 {
		s.m = map[string][]int{"a": {pick(2)}, "b": nil}
	}
	switch pick(3) {
	case 1:
		s.L = []string{}
	case 2:
		s.L = []string{"x", []string{"y", "z"}[pick(2)]}
	}
	switch pick(4) {
	case 1:
		s.M = map[string]any{}
	case 2:
		s.M = map[string]any{"k": pick(2), "j": "v"}
	case 3:
		s.M = map[string]any{"j": "v", "k": pick(2), "in": map[string]any{"x": pick(2), "y": map[string]any{}}}
	}
	switch pick(5) {
	case 1:
		s.X = pick(2)
	case 2:
		s.X = "1"
	case 3:
		s.X = int64(pick(2))
	case 4:
		s.X = []any{nil, pick(2)}
	}
	switch pick(4) {
	case 1:
		s.T = time.UnixMilli(int64(pick(2))).UTC()
	case 2:
		s.T = time.Date(2024, 1, 1, 10, 0, 0, 0, time.FixedZone("", 3600*pick(2)))
	case 3:
		s.T = time.UnixMilli(int64(pick(2))).In(time.Local)
	}
	switch pick(3) {
	case 1:
		s.Raw = []byte{}
	case 2:
		s.Raw = []byte(`{"a":1}`)[:1+pick(2)]
	}
	if depth > 0 && pick(3) == 0 {
		s.P = randomSample(rng, depth-1)
	}
	return s
}

// TestFingerprintsFollowDeepEqual: over random pairs of values, equal fingerprints
// exactly when reflect.DeepEqual finds the values equal, with pairs of each kind
// in numbers.
func TestFingerprintsFollowDeepEqual(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	f := newFingerprinter()
	equal, different := 0, 0
	for range 20000 {
		seed := rng.Uint64()
		a := randomSample(rand.New(rand.NewPCG(seed, 0)), 2)
		var b *sample
		switch rng.IntN(3) {
		case 0: // built the same way: equal, at other addresses
			b = randomSample(rand.New(rand.NewPCG(seed, 0)), 2)
		case 1: // the same but for one exported field, which may come out equal
			b = randomSample(rand.New(rand.NewPCG(seed, 0)), 2)
			other := reflect.ValueOf(randomSample(rng, 2)).Elem()
			i := rng.IntN(other.NumField())
			if fv := reflect.ValueOf(b).Elem().Field(i); fv.CanSet() {
				fv.Set(other.Field(i))
			}
		default:
			b = randomSample(rng, 2)
		}
		want := reflect.DeepEqual(a, b)
		got := f.of(a) == f.of(b)
		require.Equal(t, want, got, "DeepEqual %v, fingerprints equal %v:\n%#v\n%#v", want, got, a, b)
		if want {
			equal++
		} else {
			different++
		}
	}
	assert.Greater(t, equal, 100)
	assert.Greater(t, different, 100)
}

func TestFingerprintEdges(t *testing.T) {
	t.Parallel()
	f := newFingerprinter()
	same := func(a, b any) bool { return f.of(a) == f.of(b) }
	assert.True(t, same(0.0, math.Copysign(0, -1)), "-0 is +0")
	assert.False(t, same(math.NaN(), math.NaN()), "a NaN is like nothing")
	assert.False(t, same([]int(nil), []int{}), "nil slice apart from empty")
	assert.False(t, same(map[int]int(nil), map[int]int{}), "nil map apart from empty")
	assert.False(t, same(int32(1), int64(1)), "types apart")
	assert.False(t, same(any(nil), (*int)(nil)), "nil interface apart from a nil pointer")
	assert.True(t, same(nil, nil))
	assert.False(t, same([]string{"ab", "c"}, []string{"a", "bc"}), "strings do not run into each other")
	fn := func() {}
	assert.False(t, same(fn, fn), "funcs that are not nil are like nothing")
	assert.True(t, same((func())(nil), (func())(nil)))
	type node struct {
		Next *node
		V    int
	}
	a := &node{V: 1}
	a.Next = a
	b := &node{V: 1}
	b.Next = b
	assert.True(t, same(a, b), "cycles of the same shape")
	c := &node{V: 2}
	c.Next = c
	assert.False(t, same(a, c))
	berlin1 := time.FixedZone("CET", 3600)
	berlin2 := time.FixedZone("CET", 3600)
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	assert.True(t, same(t0.In(berlin1), t0.In(berlin2)), "locations compared by value")
	assert.False(t, same(t0.In(berlin1), t0.In(time.FixedZone("CET", 7200))))
}

// bigItem makes a page's items weigh something.
type bigItem struct {
	ID  int
	Pad [512]byte
}

// TestWalkHoldsNoPageItHandedOver: while page n+1 is fetched, no item of page n is
// reachable from the walk (the caller kept none): a collection frees them.
func TestWalkHoldsNoPageItHandedOver(t *testing.T) {
	var last []weak.Pointer[bigItem] // the items of the page handed over last
	checked := 0
	fetch := func(_ context.Context, page int) ([]*bigItem, int, bool, error) {
		if last != nil {
			runtime.GC()
			for i, w := range last {
				assert.Nil(t, w.Value(), "page %d: item %d of the page before is still reachable", page, i)
			}
			checked++
		}
		items := make([]*bigItem, 10)
		last = last[:0]
		for i := range items {
			items[i] = &bigItem{ID: page*10 + i}
			last = append(last, weak.Make(items[i]))
		}
		return items, page + 1, page < 5, nil
	}
	n := 0
	for it, err := range Items(context.Background(), 1, fetch) {
		require.NoError(t, err)
		require.Equal(t, n+10, it.ID)
		n++
	}
	assert.Equal(t, 50, n)
	assert.Equal(t, 4, checked)
}

func BenchmarkFingerprint(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	v := randomSample(rng, 0)
	v.S = "a string of some length, as an item's name is"
	f := newFingerprinter()
	b.ReportAllocs()
	for b.Loop() {
		f.of(v)
	}
}

// Items that hold themselves through a map or a slice (a user's FetchFunc may
// return such values) have a fingerprint, as those that do through a pointer
// did: following them recursed until the stack overflowed, a fatal error that
// takes the process down. Cycles that differ before they close still differ.
func TestFingerprintOfCyclicMapsAndSlices(t *testing.T) {
	t.Parallel()
	cyclicMap := func(v int) map[string]any {
		m := map[string]any{"v": v}
		m["self"] = m
		return m
	}
	cyclicSlice := func(v int) []any {
		s := []any{v, nil}
		s[1] = s
		return s
	}
	f := newFingerprinter()
	assert.Equal(t, f.of(cyclicMap(1)), f.of(cyclicMap(1)))
	assert.NotEqual(t, f.of(cyclicMap(1)), f.of(cyclicMap(2)))
	assert.Equal(t, f.of(cyclicSlice(1)), f.of(cyclicSlice(1)))
	assert.NotEqual(t, f.of(cyclicSlice(1)), f.of(cyclicSlice(2)))
	assert.Empty(t, f.path)

	for name, item := range map[string]func(int) any{
		"map":   func(v int) any { return cyclicMap(v) },
		"slice": func(v int) any { return cyclicSlice(v) },
	} {
		fetch := func(_ context.Context, page int) ([]any, int, bool, error) {
			return []any{item(2 * page), item(2*page + 1)}, page + 1, page < 2, nil
		}
		items, err := Collect(Items(t.Context(), 0, fetch))
		require.NoError(t, err, name)
		assert.Len(t, items, 6, name)
	}
}
