package ssax

import "golang.org/x/tools/go/ssa"

// Wrap is a set of instructions that pass a value on without changing
// what it refers to. Unwrap looks through the ones in its set.
type Wrap uint8

// The wrappers Unwrap can look through.
const (
	WrapChangeType Wrap = 1 << iota // *ssa.ChangeType: a named type to its underlying one, and back
	WrapConvert                     // *ssa.Convert: between numeric or string types
	WrapInterface                   // *ssa.MakeInterface and *ssa.ChangeInterface
	WrapExtract                     // *ssa.Extract: to the tuple (the call) it came from
)

// Unwrap follows v back through the wrappers in w and returns the value
// they wrap: Unwrap(x, WrapChangeType) for T(x) where T's underlying
// type is x's.
func Unwrap(v ssa.Value, w Wrap) ssa.Value {
	for {
		var next ssa.Value
		var kind Wrap
		switch x := v.(type) {
		case *ssa.ChangeType:
			next, kind = x.X, WrapChangeType
		case *ssa.Convert:
			next, kind = x.X, WrapConvert
		case *ssa.MakeInterface:
			next, kind = x.X, WrapInterface
		case *ssa.ChangeInterface:
			next, kind = x.X, WrapInterface
		case *ssa.Extract:
			next, kind = x.Tuple, WrapExtract
		}
		if next == nil || w&kind == 0 {
			return v
		}
		v = next
	}
}
