"""Agent device plugins, one module per server plugin of the same name."""
