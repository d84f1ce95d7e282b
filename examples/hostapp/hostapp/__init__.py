"""A host application written the Firefox way on xpcom-websocket.

It never imports the channel's classes: it asks the component manager for everything by contract
ID -- the WebSocket channel, the preferences service, and its own message-log component, which it
contributes through the ``xpcom.components`` entry-point group (see its pyproject.toml).
"""
