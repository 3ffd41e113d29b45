package lib

import "time"

type Pool struct {
	work chan func()
}

func (p *Pool) Get() func() { // want Get:"blocks\\(receive from p.work\\)"
	return <-p.work
}

func Pause() { // want Pause:"blocks\\(call to time.Sleep\\)"
	time.Sleep(time.Second)
}

func Quick() int { return 1 } // ok
