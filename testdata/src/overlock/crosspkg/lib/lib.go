package lib

import "time"

type Queue struct {
	work chan func()
}

func (q *Queue) Get() func() { return <-q.work }

func (q *Queue) Fetch() func() { return q.Get() }

func Pause() { time.Sleep(time.Second) }

func Quick() int { return 1 }
