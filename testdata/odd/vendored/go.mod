module example.com/vend

go 1.26

require example.com/pool v1.2.0
