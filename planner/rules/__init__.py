"""Rules about platforms and campaigns: data and checks, no I/O beyond reading packaged data."""
