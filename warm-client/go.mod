module github.com/slipway-dev/slipway/warm-client

go 1.22
