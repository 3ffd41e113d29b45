package mid

import "blocking/crosspkg/lib"

func Take(p *lib.Pool) { // want Take:"blocks\\(receive from p.work via \\(\\*lib.Pool\\).Get\\)"
	p.Get()()
}

func Rest() { // want Rest:"blocks\\(call to time.Sleep via lib.Pause\\)"
	lib.Pause()
}

func Fast() int { return lib.Quick() } // ok
