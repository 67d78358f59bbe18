"""The five views of the app, one per number key."""
