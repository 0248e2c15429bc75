module slipway.local/pause

go 1.21
