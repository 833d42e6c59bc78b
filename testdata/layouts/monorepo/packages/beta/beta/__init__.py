# also a package, but the configured one wins
