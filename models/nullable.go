package models

import (
	"bytes"
	"encoding/json"
)

// Nullable is a request field with three states, for the PATCH bodies whose
// fields the vendor documents as "T | null":
//
//   - absent, the zero value: the field is left out of the body (with the
//     omitzero tag option) and the server keeps what it has;
//   - null, from Null: the field is sent as JSON null, which clears it;
//   - a value, from NewNullable: the field is sent with that value.
//
// A nil map, slice or pointer given to NewNullable is a value that JSON writes as
// null. Decoding reads null as Null and anything else as a value; a field missing
// from the JSON stays absent.
//
//	req := &connapi.UpdateCoreConnectionRequest{
//		DisplayName: models.NewNullable("Acme CRM"), // "displayName": "Acme CRM"
//		CustomerID:  models.Null[string](),          // "customerId": null
//	}                                                // settings, integrationId: not sent
type Nullable[T any] struct {
	value T
	state nullableState
}

type nullableState uint8

const (
	nullableAbsent nullableState = iota
	nullableNull
	nullableValue
)

// NewNullable returns a Nullable holding v.
func NewNullable[T any](v T) Nullable[T] { return Nullable[T]{value: v, state: nullableValue} }

// Null returns a Nullable that is sent as JSON null.
func Null[T any]() Nullable[T] { return Nullable[T]{state: nullableNull} }

// IsSet reports whether n is sent at all: as null or as a value.
func (n Nullable[T]) IsSet() bool { return n.state != nullableAbsent }

// IsNull reports whether n is an explicit null.
func (n Nullable[T]) IsNull() bool { return n.state == nullableNull }

// Get returns n's value and true, or the zero T and false when n is absent or null.
func (n Nullable[T]) Get() (T, bool) { return n.value, n.state == nullableValue }

// IsZero reports whether n is absent; encoding/json's omitzero option calls it to
// leave an absent field out of the body.
func (n Nullable[T]) IsZero() bool { return n.state == nullableAbsent }

// MarshalJSON writes null, or the value. An absent Nullable is written as null
// too: tag the field omitzero to leave it out instead.
func (n Nullable[T]) MarshalJSON() ([]byte, error) {
	if n.state != nullableValue {
		return []byte("null"), nil
	}
	return json.Marshal(n.value)
}

// UnmarshalJSON reads null as Null and any other JSON as a value.
func (n *Nullable[T]) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		*n = Null[T]()
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*n = NewNullable(v)
	return nil
}
