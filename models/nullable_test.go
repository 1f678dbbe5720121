package models

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type nullableBody struct {
	Name     Nullable[string]         `json:"name,omitzero"`
	Settings Nullable[map[string]any] `json:"settings,omitzero"`
}

func TestNullableThreeStates(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		body nullableBody
		want string
	}{
		"absent":           {nullableBody{}, `{}`},
		"null":             {nullableBody{Name: Null[string](), Settings: Null[map[string]any]()}, `{"name": null, "settings": null}`},
		"value":            {nullableBody{Name: NewNullable("Acme"), Settings: NewNullable(map[string]any{"k": 1})}, `{"name": "Acme", "settings": {"k": 1}}`},
		"empty value":      {nullableBody{Name: NewNullable(""), Settings: NewNullable(map[string]any{})}, `{"name": "", "settings": {}}`},
		"nil map is null":  {nullableBody{Settings: NewNullable[map[string]any](nil)}, `{"settings": null}`},
		"mixed":            {nullableBody{Name: Null[string](), Settings: NewNullable(map[string]any{"a": "b"})}, `{"name": null, "settings": {"a": "b"}}`},
		"value and absent": {nullableBody{Name: NewNullable("x")}, `{"name": "x"}`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b, err := json.Marshal(tc.body)
			require.NoError(t, err)
			assert.JSONEq(t, tc.want, string(b))

			var back nullableBody
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, tc.body.Name.IsSet(), back.Name.IsSet())
			assert.Equal(t, tc.body.Name.IsNull(), back.Name.IsNull())
			want, _ := tc.body.Name.Get()
			got, _ := back.Name.Get()
			assert.Equal(t, want, got)
		})
	}
}

func TestNullableAccessors(t *testing.T) {
	t.Parallel()
	var absent Nullable[int]
	assert.False(t, absent.IsSet())
	assert.False(t, absent.IsNull())
	assert.True(t, absent.IsZero())
	v, ok := absent.Get()
	assert.Zero(t, v)
	assert.False(t, ok)

	null := Null[int]()
	assert.True(t, null.IsSet())
	assert.True(t, null.IsNull())
	assert.False(t, null.IsZero())
	_, ok = null.Get()
	assert.False(t, ok)

	seven := NewNullable(7)
	assert.True(t, seven.IsSet())
	assert.False(t, seven.IsNull())
	v, ok = seven.Get()
	assert.Equal(t, 7, v)
	assert.True(t, ok)

	zero := NewNullable(0)
	assert.False(t, zero.IsZero(), "a zero value is still a value")

	b, err := json.Marshal(absent)
	require.NoError(t, err)
	assert.Equal(t, "null", string(b), "without omitzero an absent field is written as null")

	var n Nullable[int]
	assert.Error(t, json.Unmarshal([]byte(`"seven"`), &n))
	assert.False(t, n.IsSet(), "a failed decode leaves it absent")
}
