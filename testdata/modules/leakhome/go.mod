module example.com/leakhome

go 1.24
