// Package sa2002 holds t.FailNow calls in and out of goroutines (see
// sa2002_test.go).
package sa2002
