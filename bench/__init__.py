"""Side-by-side benchmarks of the WebSocket channel and peer clients (not part of the test suite)."""
