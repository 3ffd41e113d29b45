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
		switch x := v.(type) {
		case *ssa.ChangeType:
			if w&WrapChangeType == 0 {
				return v
			}
			v = x.X
		case *ssa.Convert:
			if w&WrapConvert == 0 {
				return v
			}
			v = x.X
		case *ssa.MakeInterface:
			if w&WrapInterface == 0 {
				return v
			}
			v = x.X
		case *ssa.ChangeInterface:
			if w&WrapInterface == 0 {
				return v
			}
			v = x.X
		case *ssa.Extract:
			if w&WrapExtract == 0 {
				return v
			}
			v = x.Tuple
		default:
			return v
		}
	}
}
