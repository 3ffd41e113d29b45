package certs

import (
	_ "embed"
	"testing"
)

//go:embed testdata/client.crt
var clientCert []byte

func TestLoad(t *testing.T) {
	if len(clientCert) == 0 {
		t.Fatal("no certificate")
	}
}
