# a stray script, not the package
