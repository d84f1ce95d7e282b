"""The WebSocket channel component and its sans-I/O protocol core."""
