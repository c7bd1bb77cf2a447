package cql2

// The limits keep a hostile filter from costing more than a page of results:
// the parsers recurse, so depth bounds the stack; items and vertices bound
// the argument lists handed to SQLite.
const (
	// MaxInputBytes is the longest filter accepted, in either encoding.
	MaxInputBytes = 8 << 10
	// MaxDepth is the deepest nesting of AND, OR, NOT, parentheses and
	// JSON objects.
	MaxDepth = 64
	// MaxItems bounds an IN list, the arguments of one AND or OR, and the
	// vertices of one geometry literal.
	MaxItems = 1000
)
