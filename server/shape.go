package server

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// featureShape is what properties= and skipGeometry= make of each feature:
// only the properties named, in the order named (nil: all, as stored), and
// a null geometry.
type featureShape struct {
	properties   []string
	skipGeometry bool
}

func (s featureShape) changes() bool { return s.properties != nil || s.skipGeometry }

// apply reshapes one stored feature. The members other than properties and
// geometry (type, id, links) are kept as they are, in their order.
func (s featureShape) apply(f json.RawMessage) (json.RawMessage, error) {
	if !s.changes() {
		return f, nil
	}
	dec := json.NewDecoder(bytes.NewReader(f))
	if _, err := dec.Token(); err != nil { // {
		return nil, fmt.Errorf("reshape feature: %w", err)
	}
	var out bytes.Buffer
	out.Grow(len(f))
	out.WriteByte('{')
	for n := 0; dec.More(); n++ {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("reshape feature: %w", err)
		}
		key, _ := tok.(string)
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil, fmt.Errorf("reshape feature: %w", err)
		}
		switch {
		case key == "geometry" && s.skipGeometry:
			value = json.RawMessage("null")
		case key == "properties" && s.properties != nil:
			if value, err = s.pick(value); err != nil {
				return nil, err
			}
		}
		if n > 0 {
			out.WriteByte(',')
		}
		k, _ := json.Marshal(key)
		out.Write(k)
		out.WriteByte(':')
		out.Write(value)
	}
	out.WriteByte('}')
	return out.Bytes(), nil
}

// pick keeps the named members of a properties object, in the order named.
func (s featureShape) pick(props json.RawMessage) (json.RawMessage, error) {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(props, &all); err != nil {
		return nil, fmt.Errorf("reshape feature properties: %w", err)
	}
	var out bytes.Buffer
	out.WriteByte('{')
	n := 0
	for _, name := range s.properties {
		v, ok := all[name]
		if !ok {
			continue
		}
		if n > 0 {
			out.WriteByte(',')
		}
		k, _ := json.Marshal(name)
		out.Write(k)
		out.WriteByte(':')
		out.Write(v)
		n++
	}
	out.WriteByte('}')
	return out.Bytes(), nil
}
