package connapi

import (
	"github.com/connapi/connapi-go/internal/jsonenc"
	"github.com/connapi/connapi-go/models"
)

// Request bodies written by hand. encodeJSON writes a body whose type has
// appendJSON with it, without reflection and without encoding/json checking
// again, byte by byte, what each section's MarshalJSON returned: the bytes are
// exactly what jsonenc.Marshal writes for the same value (the struct's field
// order and omitempty, each section's MarshalJSON), which
// TestHandWrittenBodiesMatchMarshal holds them to with random values. On any
// error, encodeJSON lets jsonenc.Marshal report it, in its words.

// bodyAppender is a request body that writes its own JSON.
type bodyAppender interface {
	appendJSON(b []byte) ([]byte, error)
}

// jsonObject writes the members of one JSON object.
type jsonObject struct {
	b   []byte
	n   int // members written
	err error
}

func (o *jsonObject) key(k string) {
	if o.n == 0 {
		o.b = append(o.b, '{')
	} else {
		o.b = append(o.b, ',')
	}
	o.n++
	o.b = append(o.b, '"')
	o.b = append(o.b, k...) // the keys below need no escaping
	o.b = append(o.b, '"', ':')
}

// str writes a string member; omitEmpty leaves out "".
func (o *jsonObject) str(k, v string, omitEmpty bool) {
	if v == "" && omitEmpty {
		return
	}
	o.key(k)
	o.b = jsonenc.AppendString(o.b, v)
}

// int writes an int member with omitempty.
func (o *jsonObject) int(k string, v int) {
	if v != 0 {
		o.key(k)
		o.b = jsonenc.AppendInt(o.b, v)
	}
}

// strs writes a []string member with omitempty.
func (o *jsonObject) strs(k string, v []string) {
	if len(v) > 0 && o.err == nil {
		o.key(k)
		o.b, o.err = jsonenc.AppendValue(o.b, v)
	}
}

// values writes a map member with omitempty.
func (o *jsonObject) values(k string, v map[string]any) {
	if len(v) > 0 && o.err == nil {
		o.key(k)
		o.b, o.err = jsonenc.AppendValue(o.b, v)
	}
}

// section writes a member whose value writes itself (omitempty: nil is left out).
func (o *jsonObject) section(k string, present bool, write func([]byte) ([]byte, error)) {
	if present && o.err == nil {
		o.key(k)
		o.b, o.err = write(o.b)
	}
}

// end closes the object and returns what was written.
func (o *jsonObject) end() ([]byte, error) {
	if o.n == 0 {
		o.b = append(o.b, '{')
	}
	return append(o.b, '}'), o.err
}

// marshaled appends what m's MarshalJSON writes (a section with Extra, whose
// members it merges and sorts).
func marshaled(b []byte, m interface{ MarshalJSON() ([]byte, error) }) ([]byte, error) {
	out, err := m.MarshalJSON()
	return append(b, out...), err
}

func (r *CreateConnectorRequest) appendJSON(b []byte) ([]byte, error) {
	if r == nil {
		return append(b, "null"...), nil
	}
	o := jsonObject{b: b}
	o.str("connectorType", r.ConnectorType, false)
	o.str("instanceName", r.InstanceName, false)
	o.str("scope", string(r.Scope), false)
	o.str("authType", string(r.AuthType), true)
	if r.Config != nil {
		o.section("config", true, func(b []byte) ([]byte, error) { return appendConfigSections(b, r.Config) })
	}
	o.str("baseUrl", r.BaseURL, true)
	o.str("oauthConfigId", r.OAuthConfigID, true)
	return o.end()
}

func appendConfigSections(b []byte, c *models.ConnectorConfigSections) ([]byte, error) {
	o := jsonObject{b: b}
	o.section("auth", c.Auth != nil, func(b []byte) ([]byte, error) { return appendAuthConfig(b, c.Auth) })
	o.section("sync", c.Sync != nil, func(b []byte) ([]byte, error) { return appendSyncConfig(b, c.Sync) })
	o.section("filters", c.Filters != nil, func(b []byte) ([]byte, error) { return appendFiltersConfig(b, c.Filters) })
	return o.end()
}

func appendAuthConfig(b []byte, a *models.ConnectorAuthConfig) ([]byte, error) {
	if len(a.Extra) > 0 {
		return marshaled(b, a)
	}
	o := jsonObject{b: b}
	o.str("authType", string(a.AuthType), true)
	o.values("values", a.Values)
	o.str("oauthConfigId", a.OAuthConfigID, true)
	o.values("customValues", a.CustomValues)
	return o.end()
}

func appendSyncConfig(b []byte, s *models.ConnectorSyncConfig) ([]byte, error) {
	if len(s.Extra) > 0 {
		return marshaled(b, s)
	}
	o := jsonObject{b: b}
	o.str("selectedStrategy", string(s.SelectedStrategy), true)
	o.section("scheduledConfig", s.ScheduledConfig != nil, func(b []byte) ([]byte, error) { return appendScheduledSync(b, s.ScheduledConfig) })
	o.section("webhookConfig", s.WebhookConfig != nil, func(b []byte) ([]byte, error) { return appendWebhookSync(b, s.WebhookConfig) })
	o.values("values", s.Values)
	o.values("customValues", s.CustomValues)
	return o.end()
}

func appendScheduledSync(b []byte, s *models.ConnectorScheduledSync) ([]byte, error) {
	if len(s.Extra) > 0 {
		return marshaled(b, s)
	}
	o := jsonObject{b: b}
	o.int("intervalMinutes", s.IntervalMinutes)
	o.str("cronExpression", s.CronExpression, true)
	o.str("timezone", s.Timezone, true)
	return o.end()
}

func appendWebhookSync(b []byte, s *models.ConnectorWebhookSync) ([]byte, error) {
	if len(s.Extra) > 0 {
		return marshaled(b, s)
	}
	o := jsonObject{b: b}
	o.str("webhookUrl", s.WebhookURL, true)
	o.strs("events", s.Events)
	return o.end()
}

func appendFiltersConfig(b []byte, f *models.ConnectorFiltersConfig) ([]byte, error) {
	o := jsonObject{b: b}
	o.section("sync", f.Sync != nil, func(b []byte) ([]byte, error) { return appendFilterValues(b, f.Sync) })
	o.section("indexing", f.Indexing != nil, func(b []byte) ([]byte, error) { return appendFilterValues(b, f.Indexing) })
	return o.end()
}

func appendFilterValues(b []byte, v *models.ConnectorFilterValues) ([]byte, error) {
	o := jsonObject{b: b}
	o.values("values", v.Values)
	return o.end()
}
