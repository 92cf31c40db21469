"""The WebSocket: the /api/v4/websocket endpoint, the per-process hub of
connections, and the event bus that delivers events after commit."""
