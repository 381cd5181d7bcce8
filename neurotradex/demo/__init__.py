"""The interim demo: real candles over the real websocket bus (until data_core lands)."""
