package pagination

import (
	"encoding/binary"
	"hash/maphash"
	"math"
	"reflect"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// A fingerprint stands for an item in the stall and overlap checks, so that a walk
// keeps no item of a page it has handed over: a 64-bit hash of the item's value,
// under a seed of the walk's own. Items that reflect.DeepEqual finds equal have
// the same fingerprint; items it finds different have different ones but with a
// probability of 2⁻⁶⁴ per comparison. The hash follows the value as DeepEqual
// does: pointers to what they point to, interfaces to their dynamic type and
// value, slices and maps (nil apart from empty) to their elements (a map's in
// any order), structs to every field, exported or not; a float's -0 is +0. Where
// DeepEqual stops short, so does the fingerprint, on the side of "different": a
// NaN, or a func that is not nil, makes every item holding it unlike any other
// (DeepEqual finds x equal to x itself when x holds them through the same
// pointer; two fetches do not return the same pointers). A pointer, map or slice
// met again inside itself stands for itself, so a cyclic value has a
// fingerprint; two cyclic values DeepEqual finds equal may then have different
// ones. A *time.Location is hashed once per walk (locations do not change once
// made), and time.Local as itself (its contents are loaded on first use).
type fingerprinter struct {
	seed maphash.Seed
	buf  []byte     // the bytes of the value being hashed, reused
	path []pathStep // the pointers, maps and slices being followed, for cycles
	// locs are the hashes of the locations met in the walk.
	locs map[*time.Location]uint64
	// unlike numbers the NaNs and funcs met, each unlike the others.
	unlike uint64
	// iters are a map iterator and room for a key and a value, per map type.
	iters map[reflect.Type]*mapScratch
}

// pathStep is a pointer, map or slice being followed: where it points, and its
// type, as reflect.DeepEqual tells them apart.
type pathStep struct {
	p unsafe.Pointer
	t reflect.Type
}

// enter reports whether v (a non-nil pointer, map or slice) is not being
// followed already, and if so adds it to the path; leave takes it off.
func (f *fingerprinter) enter(v reflect.Value) bool {
	step := pathStep{v.UnsafePointer(), v.Type()}
	for _, q := range f.path {
		if q == step {
			f.tag(tagCycle)
			return false
		}
	}
	f.path = append(f.path, step)
	return true
}

func (f *fingerprinter) leave() {
	f.path[len(f.path)-1] = pathStep{} // the walk keeps no item alive
	f.path = f.path[:len(f.path)-1]
}

type mapScratch struct {
	it         reflect.MapIter
	key, value reflect.Value
	busy       bool
}

// newScratch makes the iterator of the maps of type t, used from the next one on.
func (f *fingerprinter) newScratch(t reflect.Type) {
	if f.iters == nil {
		f.iters = make(map[reflect.Type]*mapScratch)
	}
	f.iters[t] = &mapScratch{key: reflect.New(t.Key()).Elem(), value: reflect.New(t.Elem()).Elem()}
}

func newFingerprinter() *fingerprinter {
	return &fingerprinter{seed: maphash.MakeSeed()}
}

// maxKept is the largest buffer a fingerprinter keeps between items.
const maxKept = 64 << 10

// of returns the fingerprint of v, as reflect.DeepEqual compares v (an any).
func (f *fingerprinter) of(v any) uint64 {
	f.buf = f.buf[:0]
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		f.tag(tagNil)
	} else {
		f.u64(typeID(rv.Type()))
		f.value(rv)
	}
	h := maphash.Bytes(f.seed, f.buf)
	if cap(f.buf) > maxKept {
		f.buf = nil
	}
	return h
}

// Tags keep apart values that would otherwise write the same bytes.
const (
	tagNil byte = iota
	tagSet
	tagCycle
	tagUnlike
)

func (f *fingerprinter) tag(t byte) { f.buf = append(f.buf, t) }

func (f *fingerprinter) u64(x uint64) { f.buf = binary.LittleEndian.AppendUint64(f.buf, x) }

// i64 writes x's bits.
func (f *fingerprinter) i64(x int64) { f.u64(uint64(x)) } //nolint:gosec // G115: the bits, sign included

// length writes a length.
func (f *fingerprinter) length(n int) { f.u64(uint64(n)) } //nolint:gosec // G115: a length is not negative

// unlikeAny writes what no other value writes.
func (f *fingerprinter) unlikeAny() {
	f.unlike++
	f.tag(tagUnlike)
	f.u64(f.unlike)
}

func (f *fingerprinter) float(x float64) {
	switch {
	case math.IsNaN(x):
		f.unlikeAny()
	case x == 0:
		f.u64(0) // -0 == +0
	default:
		f.u64(math.Float64bits(x))
	}
}

var locationType = reflect.TypeFor[time.Location]()

func (f *fingerprinter) value(v reflect.Value) {
	switch v.Kind() {
	case reflect.Invalid:
		f.tag(tagNil)
	case reflect.Bool:
		if v.Bool() {
			f.tag(1)
		} else {
			f.tag(0)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		f.i64(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		f.u64(v.Uint())
	case reflect.Float32, reflect.Float64:
		f.float(v.Float())
	case reflect.Complex64, reflect.Complex128:
		c := v.Complex()
		f.float(real(c))
		f.float(imag(c))
	case reflect.String:
		s := v.String()
		f.length(len(s))
		f.buf = append(f.buf, s...)
	case reflect.Array:
		for i := range v.Len() {
			f.value(v.Index(i))
		}
	case reflect.Slice:
		if v.IsNil() {
			f.tag(tagNil)
			return
		}
		f.tag(tagSet)
		f.length(v.Len())
		if v.Type().Elem().Kind() == reflect.Uint8 {
			f.buf = append(f.buf, v.Bytes()...)
			return
		}
		if v.Len() == 0 || !f.enter(v) {
			return
		}
		for i := range v.Len() {
			f.value(v.Index(i))
		}
		f.leave()
	case reflect.Map:
		if v.IsNil() {
			f.tag(tagNil)
			return
		}
		f.tag(tagSet)
		f.length(v.Len())
		if v.Len() == 0 || !f.enter(v) {
			return
		}
		defer f.leave()
		// Each entry hashed alone, the sums added: the order does not count.
		var sum uint64
		start := len(f.buf)
		entry := func(k, e reflect.Value) {
			f.value(k)
			f.value(e)
			sum += maphash.Bytes(f.seed, f.buf[start:])
			f.buf = f.buf[:start]
		}
		ms := f.iters[v.Type()]
		if ms == nil || ms.busy || !v.CanInterface() {
			// A map in a map of its type, or read through an unexported field
			// (SetIterKey refuses those): the iterator that allocates.
			for it := v.MapRange(); it.Next(); {
				entry(it.Key(), it.Value())
			}
			if ms == nil && v.CanInterface() {
				f.newScratch(v.Type())
			}
		} else {
			ms.busy = true
			ms.it.Reset(v)
			for ms.it.Next() {
				ms.key.SetIterKey(&ms.it)
				ms.value.SetIterValue(&ms.it)
				entry(ms.key, ms.value)
			}
			ms.it.Reset(reflect.Value{})
			ms.key.SetZero()
			ms.value.SetZero()
			ms.busy = false
		}
		f.u64(sum)
	case reflect.Pointer:
		if v.IsNil() {
			f.tag(tagNil)
			return
		}
		p := v.UnsafePointer()
		if v.Type().Elem() == locationType {
			f.u64(f.location((*time.Location)(p)))
			return
		}
		if !f.enter(v) {
			return
		}
		f.tag(tagSet)
		f.value(v.Elem())
		f.leave()
	case reflect.Interface:
		if v.IsNil() {
			f.tag(tagNil)
			return
		}
		e := v.Elem()
		f.u64(typeID(e.Type()))
		f.value(e)
	case reflect.Struct:
		for i := range v.NumField() {
			f.value(v.Field(i))
		}
	case reflect.Func:
		if v.IsNil() {
			f.tag(tagNil)
		} else {
			f.unlikeAny()
		}
	default: // Chan, UnsafePointer: DeepEqual compares them with ==.
		f.u64(uint64(uintptr(v.UnsafePointer())))
	}
}

// location returns the hash of *loc, made once per walk.
func (f *fingerprinter) location(loc *time.Location) uint64 {
	if loc == time.Local {
		return 1 // its contents are loaded on first use, by another goroutine maybe
	}
	if h, ok := f.locs[loc]; ok {
		return h
	}
	start := len(f.buf)
	f.value(reflect.ValueOf(loc).Elem())
	h := maphash.Bytes(f.seed, f.buf[start:])
	f.buf = f.buf[:start]
	if f.locs == nil {
		f.locs = make(map[*time.Location]uint64)
	}
	f.locs[loc] = h
	return h
}

// typeIDs numbers the types met, so that values of two types never hash alike
// (DeepEqual finds them different).
var (
	typeIDs    sync.Map // reflect.Type → uint64
	typeIDNext atomic.Uint64
)

func typeID(t reflect.Type) uint64 {
	if id, ok := typeIDs.Load(t); ok {
		return id.(uint64)
	}
	id, _ := typeIDs.LoadOrStore(t, typeIDNext.Add(1))
	return id.(uint64)
}
