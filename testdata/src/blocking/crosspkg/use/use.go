package use

import (
	"blocking/crosspkg/lib"
	"blocking/crosspkg/mid"
)

func Run(p *lib.Pool) { // want Run:"blocks\\(receive from p.work via mid.Take → \\(\\*lib.Pool\\).Get\\)"
	mid.Take(p)
}

func Calm() int { return mid.Fast() } // ok
