package use

import (
	"goroutines/crosspkg/lib"
	"goroutines/crosspkg/mid"
)

func main() {
	mid.Async("x", func() {})
}

func each() {
	lib.Each([]int{1}, func(int) {})
}
