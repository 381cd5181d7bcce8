"""Market data below the services: candles, their store, the venues they come from, one loader.

- `market_store.candles`, `market_store.timeframes`: candle types and the one timeframe parser;
- `market_store.store`: the SQLite candle store (data_core writes it live);
- `market_store.venues`: exchanges through ccxt (REST and websocket), backfill;
- `market_store.loader`: the one way to read candles, filling the store from NTX_DATA_DIR or
  the venue when it lacks a range;
- `market_store.paths`: NTX_HOME and NTX_DATA_DIR, resolved once.

Import the module you need: this package imports nothing, so ``market_store.timeframes``
costs no ccxt, numpy or SQLite.
"""
