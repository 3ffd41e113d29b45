// Package use imports tiny, so that the benchmark sees a dependency.
package use

import "example.com/tiny"

// Ten adds ten.
func Ten() int { return new(tiny.Counter).Add(10) }
