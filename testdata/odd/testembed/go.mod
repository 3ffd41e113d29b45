module example.com/testembed

go 1.26
