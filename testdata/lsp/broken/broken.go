// Package broken does not type-check: syncvet lsp shows the compiler's
// message as one diagnostic.
package broken

func Count() int {
	return "many"
}
